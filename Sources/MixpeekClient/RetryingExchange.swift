import Foundation

/// One request sent until it succeeds under a ``RetryPolicy``: transport failures and the retried
/// statuses are tried again after the policy's wait, within its attempts and deadline; anything
/// else, and the last failure, is thrown. The Mixpeek client and the OpenLineage client both send
/// through it, so they retry, give up and word their errors alike.
struct RetryingExchange {
    let policy: RetryPolicy
    /// `METHOD path`, for errors.
    let label: String
    /// The host, for "cannot connect to …".
    let host: String
    /// Whether sending the request twice does no harm; when not, only a request that certainly
    /// never left (a refused connection) or a 429 is sent again.
    var idempotent = true
    /// Told before each retry with what failed.
    var onRetry: (@Sendable (String) -> Void)?
    /// Called before each attempt and before each retry's wait, for request counts.
    var countRequest: () -> Void = {}
    var countRetry: () -> Void = {}

    /// Sends with `send` until a 2xx answer, which it returns with the number of attempts.
    /// `failure` makes the error of a non-2xx answer.
    func run(
        failure: (TransportResponse, String) -> MixpeekError, send: () async throws -> TransportResponse
    ) async throws -> (response: TransportResponse, attempts: Int) {
        let started = Date()
        var attempt = 0
        while true {
            attempt += 1
            countRequest()
            let response: TransportResponse
            do {
                response = try await send()
            } catch let error as MixpeekError {
                throw error
            } catch {
                // Foundation's error text (NSError dumps, "Code=-1004") never reaches the user.
                let (reason, hopeless) = MixpeekClient.connectionFailure(error)
                let failure = MixpeekError(
                    code: .transport, message: "cannot connect to \(host): \(reason)", request: label)
                guard idempotent || MixpeekClient.neverSent(error) else { throw failure }
                // Refused connections and unknown hosts rarely heal in seconds: a short retry only.
                try await pause(
                    attempt: attempt, retryAfter: nil, started: started, failure: failure,
                    maximumAttempts: hopeless ? min(3, policy.maximumAttempts) : nil)
                continue
            }
            if (200..<300).contains(response.status) { return (response, attempt) }
            let error = failure(response, label)
            guard RetryPolicy.retriedStatuses.contains(response.status), idempotent || response.status == 429 else {
                throw error
            }
            try await pause(
                attempt: attempt, retryAfter: RetryPolicy.retryAfterSeconds(response.headers["retry-after"]),
                started: started, failure: error)
        }
    }

    /// Waits before the next attempt, or throws `failure` when the attempts or the deadline run out.
    private func pause(
        attempt: Int, retryAfter: Double?, started: Date, failure: MixpeekError, maximumAttempts: Int? = nil
    ) async throws {
        guard attempt < (maximumAttempts ?? policy.maximumAttempts) else {
            throw MixpeekError(
                code: failure.code, message: failure.message + " (gave up after \(attempt) attempts)",
                status: failure.status, request: label, body: failure.body)
        }
        let delay = policy.delay(beforeRetry: attempt, retryAfter: retryAfter)
        guard Date().timeIntervalSince(started) + delay <= policy.deadline else {
            throw MixpeekError(
                code: .gaveUp,
                message: failure.message + " (no time left within the \(Int(policy.deadline)) s deadline)",
                status: failure.status, request: label)
        }
        countRetry()
        onRetry?("\(failure.message); retrying (attempt \(attempt + 1))")
        try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
    }
}

import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Plain HTTP requests from tests to a sandbox, waited for.
public enum HTTP {
    /// Sends `request` and waits: the status (-1 when no response came) and the body.
    public static func send(_ request: URLRequest) -> (status: Int, body: Data) {
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        URLSession.shared.dataTask(with: request) { data, response, _ in
            box.result = ((response as? HTTPURLResponse)?.statusCode ?? -1, data ?? Data())
            done.signal()
        }.resume()
        done.wait()
        return box.result
    }

    private final class Box: @unchecked Sendable {
        var result: (status: Int, body: Data) = (-1, Data())
    }
}

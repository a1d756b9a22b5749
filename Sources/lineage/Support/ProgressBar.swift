import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress display on standard error (count, rate, and ETA when the total is known),
/// drawn only when standard error is a terminal and at most five times a second.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let started = Date()
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast
    private var drewSomething = false

    init(label: String) {
        self.label = label
        enabled = isatty(FileHandle.standardError.fileDescriptor) == 1
    }

    /// Shows `count` items done out of `total` when known.
    func update(_ count: Int, of total: Int?) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 0.2 else { return }
        lastDrawn = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(count) / elapsed
        var line = "\(label): \(count.formatted())"
        if let total, total > 0 {
            line += " / \(total.formatted()) (\(min(100, count * 100 / total))%)"
            if rate > 0, count < total {
                let seconds = Int(Double(total - count) / rate)
                line += String(format: ", ETA %d:%02d", seconds / 60, seconds % 60)
            }
        }
        line += ", \(Int(rate).formatted())/s"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        drewSomething = true
    }

    /// Ends the line.
    func finish() {
        guard enabled, drewSomething else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

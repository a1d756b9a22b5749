import Foundation

/// Runs the built `lineage` executable, as a user would, and captures what it prints.
public enum CommandRunner {
    /// What a run printed and how it ended.
    public struct Result: Sendable {
        /// Standard output.
        public let standardOutput: String
        /// Standard error.
        public let standardError: String
        /// The exit status.
        public let status: Int32
    }

    /// The `lineage` binary: `LINEAGE_BINARY`, else the one built beside the test bundle.
    public static var executable: String {
        if let path = ProcessInfo.processInfo.environment["LINEAGE_BINARY"] { return path }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("lineage").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return Fixtures.repositoryRoot + "/.build/debug/lineage"
    }

    /// Runs `lineage` (or another program, `executable`) with `arguments`, feeding `input` to
    /// standard input.
    public static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
        directory: String = Fixtures.repositoryRoot, executable: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? Self.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { _, new in new }
        process.environment = env
        let output = Pipe()
        let error = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        let outputData = ReadAll(handle: output.fileHandleForReading)
        let errorData = ReadAll(handle: error.fileHandleForReading)
        outputData.start()
        errorData.start()
        process.waitUntilExit()
        return Result(
            standardOutput: String(decoding: outputData.wait(), as: UTF8.self),
            standardError: String(decoding: errorData.wait(), as: UTF8.self),
            status: process.terminationStatus)
    }
}

/// Drains a pipe on its own thread so a chatty child cannot block on a full pipe.
private final class ReadAll: @unchecked Sendable {
    private let handle: FileHandle
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(handle: FileHandle) {
        self.handle = handle
    }

    func start() {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// A `lineage serve` running in the background, stopped with SIGTERM.
public final class ServedSandbox: @unchecked Sendable {
    /// The base URL it printed.
    public let url: String
    private let process: Process
    private let errors: Pipe

    /// Starts `lineage serve` with `arguments` (the snapshot and options; `--port 0` is added) and
    /// waits for the URL on its standard output.
    public init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.arguments = ["serve"] + arguments + ["--port", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: Fixtures.repositoryRoot)
        let output = Pipe()
        errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        url = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard url.hasPrefix("http://") else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "lineage serve did not start"])
        }
    }

    /// Stops the server and waits for it (it writes documents back when started with --persist).
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

import Foundation
import LineageTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The README's sandbox walkthrough, its shell blocks run verbatim, twice in a row, as a newcomer
/// pastes them: the same result both times, nothing racing the server.
@Suite("README walkthrough", .serialized)
struct ReadmeWalkthroughTests {
    /// The ```sh blocks of the README's "Against the API" section, after the one that builds.
    static func blocks() throws -> [String] {
        let readme = try String(contentsOfFile: Fixtures.repositoryRoot + "/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "## Against the API"))
        let end = try #require(readme.range(of: "## Test it", range: start.upperBound..<readme.endIndex))
        let section = readme[start.upperBound..<end.lowerBound]
        var blocks: [String] = []
        var rest = section[...]
        while let open = rest.range(of: "```sh\n"),
            let close = rest.range(of: "```\n", range: open.upperBound..<rest.endIndex)
        {
            blocks.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return blocks.filter { !$0.contains("swift build") }
    }

    @Test("each walkthrough block runs twice in a row with the same result")
    func walkthroughTwice() async throws {
        let blocks = try Self.blocks()
        #expect(blocks.count == 2)
        let binaries = (CommandRunner.executable as NSString).deletingLastPathComponent
        for block in blocks {
            var outputs: [String] = []
            for _ in 0..<2 {
                let result = try await OffPool.run { try Self.run(block, binaries: binaries) }
                #expect(result.status == 0, "\(block)\n\(result.output)")
                #expect(!result.output.contains("lineage: error"), "\(result.output)")
                outputs.append(Self.normalised(result.output))
            }
            #expect(outputs[0] == outputs[1], "\(outputs[0])\n---\n\(outputs[1])")
        }
    }

    /// Runs `block` in bash from the repository root, the built `lineage` first on PATH, then waits
    /// for the block's server to let go of its port.
    static func run(_ block: String, binaries: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", block]
        process.currentDirectoryURL = URL(fileURLWithPath: Fixtures.repositoryRoot)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = binaries + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        for _ in 0..<100 where Self.portInUse(8080) { Thread.sleep(forTimeInterval: 0.1) }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The output without what differs from run to run: temporary paths and timings.
    static func normalised(_ output: String) -> String {
        output.replacingOccurrences(of: #"/tmp/tmp\.[A-Za-z0-9]+"#, with: "TMP", options: .regularExpression)
            .replacingOccurrences(
                of: #"in [0-9.]+ s \([0-9]+ requests, [0-9]+ retried\)"#, with: "TIMING", options: .regularExpression
            )
            .replacingOccurrences(of: #"\([0-9]+ requests\)"#, with: "(REQUESTS)", options: .regularExpression)
    }

    static func portInUse(_ port: Int) -> Bool {
        guard let url = URL(string: "http://127.0.0.1:\(port)/_sandbox/requests") else { return false }
        return HTTP.send(URLRequest(url: url)).status != -1
    }
}

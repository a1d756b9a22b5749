import Foundation
import LineageTestSupport
import Testing

/// Examples in docs/cli.md that are the binary's real output, so the docs cannot go stale.
/// `LINEAGE_UPDATE_GOLDEN=1` rewrites them.
@Suite("Docs examples")
struct DocsExamplesTests {
    @Test("docs/cli.md's stats --format json example is the real output for examples/data")
    func statsJSON() throws {
        let path = Fixtures.repositoryRoot + "/docs/cli.md"
        let docs = try String(contentsOfFile: path, encoding: .utf8)
        let begin = "<!-- stats-json:begin -->\n```json\n"
        let end = "```\n<!-- stats-json:end -->"
        let start = try #require(docs.range(of: begin))
        let stop = try #require(docs.range(of: end, range: start.upperBound..<docs.endIndex))
        let documented = String(docs[start.upperBound..<stop.lowerBound])
        let result = try CommandRunner.run(["stats", "examples/data", "--format", "json"])
        #expect(result.status == 0)
        if ProcessInfo.processInfo.environment["LINEAGE_UPDATE_GOLDEN"] == "1", documented != result.standardOutput {
            let updated = docs.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: result.standardOutput)
            try updated.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(documented == result.standardOutput, "docs/cli.md is stale: LINEAGE_UPDATE_GOLDEN=1 swift test")
    }
}

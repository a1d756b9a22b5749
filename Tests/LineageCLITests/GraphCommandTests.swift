import Foundation
import LineageTestSupport
import Testing

/// End-to-end tests of `lineage graph`, run as a user would.
@Suite("lineage graph")
struct GraphCommandTests {
    @Test("DOT to standard output by default, Mermaid and JSON on request")
    func textFormats() throws {
        let dot = try CommandRunner.run(["graph", "examples/data", "--select", "collection:col_scenes"])
        #expect(dot.status == 0, "\(dot.standardError)")
        #expect(dot.standardOutput.hasPrefix("digraph lineage {"))
        let mermaid = try CommandRunner.run(["graph", "examples/data", "--select", "rule:cycle", "--format", "mermaid"])
        #expect(mermaid.standardOutput.hasPrefix("flowchart TD"))
        #expect(mermaid.standardOutput.contains(":::error"))
        let json = try CommandRunner.run(["graph", "examples/data", "--select", "rule:cycle", "--format", "json"])
        let value = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect((value["nodes"] as? [Any])?.count == 2)
        #expect((value["edges"] as? [Any])?.count == 2, "the two captions point at each other")
    }

    @Test("the collection level draws the pipeline with document and finding counts")
    func pipeline() throws {
        let dot = try CommandRunner.run(["graph", "examples/data", "--level", "collections"])
        #expect(dot.status == 0, "\(dot.standardError)")
        #expect(dot.standardOutput.hasPrefix("digraph pipeline {"))
        #expect(dot.standardOutput.contains(#""bucket:bkt_videos" -> "collection:col_frames""#))
        #expect(dot.standardOutput.contains("errors,"))
        let directory = try TemporaryDirectory()
        let svg = try CommandRunner.run([
            "graph", "examples/data", "--level", "collections", "-o", directory.file("p.svg"),
        ])
        #expect(svg.status == 0, "\(svg.standardError)")
        #expect(try String(contentsOfFile: directory.file("p.svg"), encoding: .utf8).contains("collection:col_scenes"))
        #expect(
            try CommandRunner.run(["graph", "examples/data", "--level", "collections", "--select", "x"]).status == 2)
    }

    @Test("SVG and PNG files by extension, atomically, never replacing without --force")
    func files() throws {
        let directory = try TemporaryDirectory()
        let svg = directory.file("tree.svg")
        let first = try CommandRunner.run([
            "graph", "examples/data", "--select", "@doc_20877f154fef3f4a728a", "-o", svg,
        ])
        #expect(first.status == 0, "\(first.standardError)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("<svg") && text.contains("doc_20877f154fef3f4a728a"))
        let again = try CommandRunner.run(["graph", "examples/data", "-o", svg])
        #expect(again.status == 2)
        let png = directory.file("tree.png")
        #expect(try CommandRunner.run(["graph", "examples/data", "--select", "rule:cycle", "-o", png]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        let binary = try CommandRunner.run(["graph", "examples/data", "--format", "png"])
        #expect(binary.status == 2, "binary output needs -o")
    }

    @Test("JSON with --positions gives every node a laid-out position; pieces never share a spot")
    func positions() throws {
        let run = try CommandRunner.run(["graph", "examples/data", "--format", "json", "--positions"])
        #expect(run.status == 0, "\(run.standardError)")
        let value = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let nodes = try #require(value["nodes"] as? [[String: Any]])
        #expect(nodes.count > 200)
        var centres: Set<String> = []
        for node in nodes {
            let position = try #require(node["position"] as? [String: Double], "\(node["id"] ?? "?") has a position")
            #expect((position["width"] ?? 0) > 0 && (position["height"] ?? 0) > 0)
            centres.insert("\(position["x"] ?? 0),\(position["y"] ?? 0)")
        }
        #expect(centres.count == nodes.count, "no two nodes at one centre")
        let wrong = try CommandRunner.run(["graph", "examples/data", "--format", "dot", "--positions"])
        #expect(wrong.status == 2)
    }

    @Test("over --max-nodes the picture becomes the collection level, and stderr says so")
    func sizeGuard() throws {
        let directory = try TemporaryDirectory()
        let run = try CommandRunner.run([
            "graph", "examples/data", "--max-nodes", "50", "-o", directory.file("big.svg"),
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("over --max-nodes 50; drawing the collection level"))
        let svg = try String(contentsOfFile: directory.file("big.svg"), encoding: .utf8)
        #expect(svg.contains("collection:col_frames"))
        #expect(!svg.contains("doc_20877f154fef3f4a728a"))
    }
}

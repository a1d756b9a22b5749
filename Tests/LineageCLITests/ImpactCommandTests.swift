import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// `lineage impact`: what is downstream (or upstream) of a selection, against descendants worked
/// out by hand from the documents' own source fields.
@Suite("lineage impact")
struct ImpactCommandTests {
    /// Each document's collection and its source (document, else object), read straight from the
    /// JSON Lines: whichever place states it (the sample states it alike in every place).
    struct HandGraph {
        var collection: [String: String] = [:]
        var source: [String: String] = [:]
        var documents: [String] = []

        init(_ path: String) throws {
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                let document = try JSONValue(parsing: Array(line.utf8), name: path)
                let id = document["document_id"]?.stringValue ?? ""
                documents.append(id)
                collection[id] = document["collection_id"]?.stringValue
                let places = [document["_internal"]?["lineage"], document["lineage"], document]
                for key in ["source_document_id", "source_object_id"] {
                    if let value = places.lazy.compactMap({ $0?[key]?.stringValue }).first {
                        source[id] = value
                        break
                    }
                }
            }
        }

        /// Documents derived, directly or not, from any of `starts`.
        func descendants(of starts: Set<String>) -> Set<String> {
            var children: [String: [String]] = [:]
            for (child, parent) in source { children[parent, default: []].append(child) }
            var seen: Set<String> = []
            var frontier = Array(starts)
            while let next = frontier.popLast() {
                for child in children[next] ?? [] where seen.insert(child).inserted { frontier.append(child) }
            }
            return seen.subtracting(starts)
        }
    }

    static func corpus(_ work: TemporaryDirectory) throws -> String {
        let corpus = work.file("corpus")
        let made = try CommandRunner.run([
            "sample", "-o", corpus, "--videos", "3", "--articles", "2", "--shape", "mixed",
        ])
        #expect(made.status == 0, "\(made.standardError)")
        return corpus
    }

    @Test("downstream of a collection: exactly its documents and their descendants, counted per collection")
    func downstreamOfCollection() throws {
        let work = try TemporaryDirectory()
        let corpus = try Self.corpus(work)
        let hand = try HandGraph(corpus + "/documents.jsonl")
        let frames = Set(hand.documents.filter { hand.collection[$0] == "col_frames" })
        let expected = hand.descendants(of: frames)
        #expect(!frames.isEmpty && !expected.isEmpty)

        let csv = try CommandRunner.run(["impact", "collection:col_frames", corpus, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.standardError)")
        let rows = csv.standardOutput.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        #expect(rows.first?.joined(separator: ",") == "kind,id,collection_id,bucket_id,distance,selected")
        let body = rows.dropFirst()
        #expect(Set(body.filter { $0[5] == "true" }.map { String($0[1]) }) == frames)
        #expect(Set(body.filter { $0[5] == "false" }.map { String($0[1]) }) == expected)
        #expect(body.count == frames.count + expected.count, "each node once")

        let json = try CommandRunner.run(["impact", "collection:col_frames", corpus, "--format", "json"])
        let impact = try JSONValue(parsing: Array(json.standardOutput.utf8), name: "impact")
        var perCollection: [String: Int] = [:]
        for id in frames.union(expected) { perCollection[hand.collection[id] ?? "", default: 0] += 1 }
        let counted = Dictionary(
            uniqueKeysWithValues: (impact["collections"]?.arrayValue ?? []).compactMap { entry in
                entry["collection_id"]?.stringValue.map { ($0, entry["documents"]?.intValue ?? -1) }
            })
        #expect(counted == perCollection)
        #expect(impact["summary"]?["documents"]?.intValue == frames.count + expected.count)
        // Every edge leads from the frames or from a collection downstream of them, and the edges'
        // documents add up to the documents reached.
        let edges = impact["edges"]?.arrayValue ?? []
        #expect(edges.reduce(0) { $0 + ($1["documents"]?.intValue ?? 0) } == expected.count)
        #expect(edges.allSatisfy { $0["extractor"]?.stringValue?.isEmpty == false })
        #expect(edges.contains { $0["from"]?["id"] == "col_frames" })
    }

    @Test("upstream of a document: its sources up to the object, nearest first")
    func upstreamOfDocument() throws {
        let work = try TemporaryDirectory()
        let corpus = try Self.corpus(work)
        let hand = try HandGraph(corpus + "/documents.jsonl")
        let deepest = try #require(hand.documents.first { hand.collection[$0] == "col_captions" })
        var chain: [String] = []
        var current = deepest
        while let parent = hand.source[current] {
            chain.append(parent)
            current = parent
        }
        #expect(chain.count >= 3 && chain.last?.hasPrefix("obj_") == true)
        let run = try CommandRunner.run(["impact", deepest, corpus, "--upstream", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let nodes = try JSONValue(parsing: Array(run.standardOutput.utf8), name: "impact")["nodes"]?.arrayValue ?? []
        #expect(nodes.compactMap { $0["id"]?.stringValue } == [deepest] + chain)
        #expect(nodes.compactMap { $0["distance"]?.intValue } == Array(0...chain.count))
        #expect(nodes.last?["kind"] == "object")
    }

    @Test("a selection that names nothing is a usage error naming it; text output names the collections")
    func errorsAndText() throws {
        let work = try TemporaryDirectory()
        let corpus = try Self.corpus(work)
        let wrong = try CommandRunner.run(["impact", "collection:col_frame", corpus])
        #expect(wrong.status == 2 && wrong.standardError.contains("did you mean col_frames"), "\(wrong.standardError)")
        let text = try CommandRunner.run(["impact", "collection:col_scenes", corpus])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("col_captions: ") && text.standardOutput.contains("Pipeline edges"))
        // CSV fields a spreadsheet would run as formulas are defused, and commas quoted.
        #expect(ImpactAnalysis.csvField("=cmd()") == "'=cmd()" && ImpactAnalysis.csvField("a,b") == "\"a,b\"")
    }

    @Test("the report shows, beside each collection, the documents downstream of it: impact's numbers")
    func reportColumn() throws {
        let work = try TemporaryDirectory()
        let corpus = try Self.corpus(work)
        let made = try CommandRunner.run(["report", corpus, "-o", work.file("r.html")])
        #expect(made.status == 0, "\(made.standardError)")
        let html = try String(contentsOfFile: work.file("r.html"), encoding: .utf8)
        let hand = try HandGraph(corpus + "/documents.jsonl")
        for collection in Set(hand.collection.values) {
            let members = Set(hand.documents.filter { hand.collection[$0] == collection })
            let outside = hand.descendants(of: members).filter { hand.collection[$0] != collection }
            let run = try CommandRunner.run(["impact", "collection:" + collection, corpus, "--format", "json"])
            let impact = try JSONValue(parsing: Array(run.standardOutput.utf8), name: "impact")
            let reached = (impact["nodes"]?.arrayValue ?? []).filter { $0["selected"] == false }.count
            #expect(reached == outside.count, "\(collection)")
            let row =
                "<tr data-collection=\"\(collection)\"><td>\(collection)</td><td class=\"number\">"
                + "\(members.count)</td><td class=\"number downstream\">\(outside.count)</td></tr>"
            #expect(html.contains(row), "\(collection): \(outside.count) downstream")
        }
    }
}

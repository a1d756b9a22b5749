import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// `lineage export`, read back by each format's own library: networkx (GraphML), prov
/// (PROV-JSON) and the OpenLineage Python client (its spec-generated model classes), all from
/// scripts/python-env; `--post` against `lineage serve` acting as an OpenLineage receiver.
@Suite("lineage export", .enabled(if: Run.python3 != nil, "python3 is missing"))
struct ExportCommandTests {
    /// The graph as `lineage graph --format json` has it: nodes (id → kind, collection, bucket,
    /// rules) and edges (from → to).
    struct Graph {
        var nodes: [String: (kind: String, collection: String?, bucket: String?, rules: [String])] = [:]
        var edges: Set<String> = []

        init(_ corpus: String, select: String? = nil) throws {
            let run = try CommandRunner.run(
                ["graph", corpus, "--format", "json", "--collapse", "0"] + (select.map { ["--select", $0] } ?? []))
            #expect(run.status == 0, "\(run.standardError)")
            let json = try JSONValue(parsing: Array(run.standardOutput.utf8), name: "graph")
            for node in json["nodes"]?.arrayValue ?? [] {
                nodes[node["id"]?.stringValue ?? ""] = (
                    node["kind"]?.stringValue ?? "", node["collection_id"]?.stringValue, node["bucket_id"]?.stringValue,
                    node["findings"]?.arrayValue?.compactMap(\.stringValue) ?? []
                )
            }
            for edge in json["edges"]?.arrayValue ?? [] {
                edges.insert((edge["from"]?.stringValue ?? "") + ">" + (edge["to"]?.stringValue ?? ""))
            }
        }
    }

    static func export(_ arguments: [String], _ work: TemporaryDirectory, _ name: String) throws -> String {
        let path = work.file(name)
        let run = try CommandRunner.run(["export"] + arguments + ["-o", path])
        #expect(run.status == 0, "\(run.standardError)")
        return path
    }

    static func python(_ script: String, _ arguments: [String], _ work: TemporaryDirectory) throws -> JSONValue {
        let file = try work.write("check-\(UUID().uuidString).py", script)
        let run = try Run.process(try SDKConformanceTests.interpreter(), [file] + arguments)
        #expect(run.status == 0, "\(run.errors)")
        return try JSONValue(parsing: Array(run.output.utf8), name: "python")
    }

    @Test("GraphML: networkx reads the same nodes, edges and attributes as the graph has")
    func graphml() throws {
        let work = try TemporaryDirectory()
        let file = try Self.export(["examples/data", "--format", "graphml"], work, "lineage.graphml")
        let read = try Self.python(
            """
            import sys, json, warnings
            warnings.simplefilter("error")
            import networkx
            graph = networkx.read_graphml(sys.argv[1])
            assert graph.is_directed()
            print(json.dumps({"nodes": {n: d for n, d in graph.nodes(data=True)},
                              "edges": [[a, b, d] for a, b, d in graph.edges(data=True)]}))
            """, [file], work)
        let expected = try Graph("examples/data")
        let nodes = read["nodes"]?.objectValue ?? JSONObject()
        #expect(Set(nodes.keys) == Set(expected.nodes.keys) && nodes.count == expected.nodes.count)
        for (id, attributes) in nodes {
            let node = try #require(expected.nodes[id])
            #expect(attributes["kind"]?.stringValue == node.kind, "\(id)")
            #expect(attributes["collection"]?.stringValue == node.collection, "\(id)")
            #expect(attributes["bucket"]?.stringValue == node.bucket, "\(id)")
            #expect(attributes["ghost"] == .bool(node.kind.hasPrefix("ghost")), "\(id): typed boolean")
            #expect(attributes["findings"]?.intValue == node.rules.count, "\(id): typed int")
            let rules = attributes["rules"]?.stringValue?.split(separator: " ").map(String.init) ?? []
            #expect(rules == Set(node.rules).sorted(), "\(id)")
        }
        let edges = read["edges"]?.arrayValue ?? []
        #expect(
            Set(edges.map { ($0.arrayValue?[0].stringValue ?? "") + ">" + ($0.arrayValue?[1].stringValue ?? "") })
                == expected.edges)
        #expect(edges.count == expected.edges.count)
        #expect(edges.allSatisfy { $0.arrayValue?[2]["extractor"]?.stringValue?.isEmpty == false })
        #expect(nodes.contains { $0.value["tier"]?.intValue == 3 }, "tiers are typed ints")
    }

    @Test("PROV-JSON: prov reads an entity per node and a derivation and generation per edge")
    func prov() throws {
        let work = try TemporaryDirectory()
        let tree = "obj_59e6bef262237ddb301f"
        for select in [nil, tree] {
            let file = try Self.export(
                ["examples/data", "--format", "prov-json"] + (select.map { ["--select", $0] } ?? []), work,
                "prov-\(select ?? "all").json")
            let read = try Self.python(
                """
                import sys, json, warnings
                warnings.simplefilter("error")
                from prov.model import (ProvDocument, ProvEntity, ProvActivity, ProvGeneration, ProvUsage,
                                        ProvDerivation)
                with open(sys.argv[1]) as file:
                    document = ProvDocument.deserialize(content=file.read(), format="json")
                def count(kind): return len(list(document.get_records(kind)))
                derivations = [[str(r.args[0]), str(r.args[1]), str(r.args[2])]
                               for r in document.get_records(ProvDerivation)]
                activities = {str(r.identifier) for r in document.get_records(ProvActivity)}
                used = {str(r.args[0]) for r in document.get_records(ProvUsage)}
                entity = {str(r.identifier): {str(k): str(v) for k, v in r.attributes}
                          for r in document.get_records(ProvEntity)}
                print(json.dumps({"entities": count(ProvEntity), "activities": count(ProvActivity),
                                  "generations": count(ProvGeneration), "usages": count(ProvUsage),
                                  "derivations": derivations, "activities_used": activities == used,
                                  "entity": entity}))
                """, [file], work)
            let expected = try Graph("examples/data", select: select)
            #expect(read["entities"]?.intValue == expected.nodes.count, "\(select ?? "all")")
            #expect(read["generations"]?.intValue == expected.edges.count)
            let derivations = read["derivations"]?.arrayValue ?? []
            let pairs = Set(
                derivations.map { pair in
                    let ids = pair.arrayValue?.compactMap(\.stringValue).map {
                        $0.replacingOccurrences(of: "mixpeek:", with: "")
                    }
                    return (ids?[1] ?? "") + ">" + (ids?[0] ?? "")
                })
            #expect(pairs == expected.edges && derivations.count == expected.edges.count)
            #expect(derivations.allSatisfy { $0.arrayValue?[2].stringValue?.hasPrefix("lineage:extraction") == true })
            #expect(read["activities_used"] == true, "every activity used its source")
            #expect((read["activities"]?.intValue ?? 0) >= 1 && read["usages"] == read["activities"])
            if select == nil {
                let flagged = read["entity"]?["mixpeek:doc_20877f154fef3f4a728a"]
                #expect(flagged?["lineage:rules"] == "mismatch.collection" && flagged?["lineage:severity"] == "error")
            }
        }
    }

    @Test("ids with quotes, markup, %, tabs, returns and control characters reach prov and networkx intact")
    func hostileIDs() throws {
        let work = try TemporaryDirectory()
        let corpus = try TemporaryDirectory()
        let object = "obj_a\"<&>' %é"
        let bucket = "bkt_<x>&\"y"
        let parent = "doc_1 <&\"q'>%41\r\n\tend"
        let child = "doc_ctl\u{1}x\u{FFFE}"
        let collection = "col_\"a&b"
        func quoted(_ text: String) -> String { JSONValue.string(text).serialized() }
        func step(_ collection: String, _ extractor: String) -> String {
            "{\"collection_id\":\(quoted(collection)),\"feature_extractor_id\":\(quoted(extractor)),"
                + "\"timestamp\":\"2025-10-31T10:01:04Z\"}"
        }
        _ = try corpus.write("objects.jsonl", "{\"object_id\":\(quoted(object)),\"bucket_id\":\(quoted(bucket))}\n")
        _ = try corpus.write(
            "documents.jsonl",
            """
            {"document_id":\(quoted(parent)),"collection_id":\(quoted(collection)),"root_object_id":\(quoted(object)),\
            "root_bucket_id":\(quoted(bucket)),"source_type":"bucket","source_object_id":\(quoted(object)),\
            "lineage_chain":[\(step(collection, "ext<&>\""))],"metadata":{}}
            {"document_id":\(quoted(child)),"collection_id":"col_scenes","root_object_id":\(quoted(object)),\
            "root_bucket_id":\(quoted(bucket)),"source_type":"collection","source_document_id":\(quoted(parent)),\
            "source_collection_id":\(quoted(collection)),\
            "lineage_chain":[\(step(collection, "ext<&>\"")),\(step("col_scenes", "scene\tsplitter"))],"metadata":{}}

            """)
        let input = corpus.file("")
        let prov = try Self.python(
            """
            import sys, json, warnings
            from urllib.parse import unquote
            warnings.simplefilter("error")
            from prov.model import ProvDocument, ProvEntity, ProvDerivation
            with open(sys.argv[1]) as file:
                document = ProvDocument.deserialize(content=file.read(), format="json")
            def decoded(name): return unquote(str(name).removeprefix("mixpeek:"))
            print(json.dumps({"entities": sorted(decoded(r.identifier) for r in document.get_records(ProvEntity)),
                              "derivations": [[decoded(r.args[0]), decoded(r.args[1])]
                                              for r in document.get_records(ProvDerivation)]}))
            """, [try Self.export([input, "--format", "prov-json"], work, "hostile.json")], work)
        #expect(prov["entities"] == .array([object, parent, child].sorted().map(JSONValue.string)))
        #expect(
            prov["derivations"]
                == .array([.array([.string(parent), .string(object)]), .array([.string(child), .string(parent)])]))

        let graphml = try Self.python(
            """
            import sys, json, warnings
            warnings.simplefilter("error")
            import networkx
            graph = networkx.read_graphml(sys.argv[1])
            print(json.dumps({"nodes": {n: d for n, d in graph.nodes(data=True)},
                              "edges": [[a, b, d] for a, b, d in graph.edges(data=True)]}))
            """, [try Self.export([input, "--format", "graphml"], work, "hostile.graphml")], work)
        // XML cannot hold U+0001 or U+FFFE: they read back as U+FFFD, and everything else as written.
        let childAsXML = "doc_ctl\u{FFFD}x\u{FFFD}"
        #expect(Set(graphml["nodes"]?.objectValue?.keys ?? []) == [object, parent, childAsXML])
        #expect(graphml["nodes"]?[parent]?["collection"] == .string(collection))
        #expect(graphml["nodes"]?[object]?["bucket"] == .string(bucket))
        #expect(
            graphml["edges"]
                == .array([
                    .array([.string(object), .string(parent), .object(["extractor": .string("ext<&>\""), "id": "e1"])]),
                    .array([
                        .string(parent), .string(childAsXML),
                        .object(["extractor": .string("scene\tsplitter"), "id": "e2"]),
                    ]),
                ]))
    }

    @Test("OpenLineage: every event builds in the OpenLineage client's model and serialises back unchanged")
    func openLineage() throws {
        let work = try TemporaryDirectory()
        let file = try Self.export(["examples/data", "--format", "openlineage"], work, "events.jsonl")
        let run = try Run.process(
            try SDKConformanceTests.interpreter(),
            [Fixtures.repositoryRoot + "/Tests/Conformance/openlineage_check.py", file])
        #expect(run.status == 0, "\(run.errors)")
        let summary = try JSONValue(parsing: Array(run.output.utf8), name: "openlineage")
        // The pipeline edges with their document counts, as the graph has them.
        let graph = try Graph("examples/data")
        var counts: [String: Int] = [:]
        for edge in graph.edges {
            let parts = edge.split(separator: ">").map(String.init)
            let from = graph.nodes[parts[0]]
            let to = graph.nodes[parts[1]]
            let source =
                from?.collection.map { "collections/" + $0 } ?? from?.bucket.map { "buckets/" + $0 } ?? "?"
            counts[source + " collections/" + (to?.collection ?? "?"), default: 0] += 1
        }
        var exported: [String: Int] = [:]
        for edge in summary["edges"]?.arrayValue ?? [] {
            let parts = edge.arrayValue ?? []
            exported[(parts[0].stringValue ?? "") + " " + (parts[1].stringValue ?? ""), default: 0] +=
                parts[2].intValue ?? 0
        }
        #expect(exported == counts)
        // Failed assertions: one per (collection, rule) with findings, with the finding count.
        let audit = try CommandRunner.run(["audit", "examples/data", "--format", "json", "--fail-on", "never"])
        var findings: [String: Int] = [:]
        for finding in try JSONValue(parsing: Array(audit.standardOutput.utf8), name: "audit")["findings"]?.arrayValue
            ?? []
        {
            guard let collection = finding["collection_id"]?.stringValue else { continue }
            findings["collections/" + collection + " " + (finding["rule"]?.stringValue ?? ""), default: 0] += 1
        }
        let assertions = summary["assertions"]?.objectValue ?? JSONObject()
        #expect(Dictionary(uniqueKeysWithValues: assertions.map { ($0.key, $0.value.intValue ?? -1) }) == findings)
        let ids = summary["run_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Set(ids).count == ids.count && ids.count == (summary["events"]?.intValue ?? -1))
        // The same snapshot exports the same runs.
        let again = try Self.export(["examples/data", "--format", "openlineage"], work, "again.jsonl")
        func runIDs(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap {
                try JSONValue(parsing: Array($0.utf8), name: "event")["run"]?["runId"]?.stringValue
            }
        }
        #expect(try runIDs(again) == ids)
    }

    @Test("--post: every event reaches the receiver once through injected 5xx and 429, with the token")
    func post() throws {
        let work = try TemporaryDirectory()
        let file = try Self.export(["examples/data", "--format", "openlineage"], work, "events.jsonl")
        let server = try ServedSandbox([
            "examples/data", "--api-key", "ol_secret", "--fail-rate", "0.2", "--rate-limit-rate", "0.1", "--seed", "4",
        ])
        defer { _ = server.stop() }
        let dry = try CommandRunner.run(
            ["export", "examples/data", "--format", "openlineage", "--post", server.url, "--dry-run"],
            environment: ["OPENLINEAGE_API_KEY": "ol_secret"])
        #expect(dry.status == 0 && dry.standardError.contains("would send"), "\(dry.standardError)")
        let sent = try CommandRunner.run(
            ["export", "examples/data", "--format", "openlineage", "--post", server.url],
            environment: ["OPENLINEAGE_API_KEY": "ol_secret"])
        #expect(sent.status == 0, "\(sent.standardError)")
        #expect(!sent.standardError.contains("ol_secret") && !dry.standardError.contains("ol_secret"))
        let received = try ApplyCommandTests.get(server.url + "/_sandbox/lineage-events")
        let written = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
            try JSONValue(parsing: Array($0.utf8), name: "event")
        }
        func withoutTimes(_ events: [JSONValue]) -> [String] {
            events.map { ($0["run"]?["runId"]?.stringValue ?? "") + ($0["job"]?["name"]?.stringValue ?? "") }
        }
        #expect(withoutTimes(received.arrayValue ?? []) == withoutTimes(written), "each event once, in order")
        let counts = try ApplyCommandTests.get(server.url + "/_sandbox/requests")
        #expect((counts["faults"]?["POST /api/v1/lineage"]?.intValue ?? 0) > 0, "faults were injected")
        #expect(sent.standardError.contains("retried"))
        // Without the token the receiver refuses, and the command says so with exit 2.
        let refused = try CommandRunner.run([
            "export", "examples/data", "--format", "openlineage", "--post", server.url,
        ])
        #expect(refused.status == 2 && refused.standardError.contains("401"), "\(refused.standardError)")
    }

    @Test("usage errors: --post with another format, with -o, a URL that is not http")
    func usage() throws {
        for arguments in [
            ["--format", "graphml", "--post", "http://127.0.0.1:9"],
            ["--format", "openlineage", "--post", "http://127.0.0.1:9", "-o", "x.jsonl"],
            ["--format", "openlineage", "--post", "ftp://example"], ["--format", "openlineage", "--dry-run"],
        ] {
            let run = try CommandRunner.run(["export", "examples/data"] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.standardError)")
        }
    }
}

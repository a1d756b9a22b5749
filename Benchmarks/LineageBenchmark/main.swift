// Measures LineageKit end to end on a namespace directory: read + normalise + graph build, then
// the audit with every rule (and, for context, a Foundation JSONSerialization parse of the same
// documents).
//
// Usage: LineageBenchmark DIRECTORY [--repeat N] [--foundation-baseline] | DIRECTORY --render [--write-dot DIR]
// Prints one JSON object per run; Benchmarks/run.sh turns them into docs/benchmarks.md.

import Foundation
import LineageKit
import LineageRender
import MixpeekClient

struct Measurement {
    var wallSeconds: Double
    var cpuSeconds: Double
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(0, &usage)  // RUSAGE_SELF
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

func measure<T>(_ body: () throws -> T) rethrows -> (T, Measurement) {
    let cpuStart = cpuSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (result, Measurement(wallSeconds: wall, cpuSeconds: cpuSeconds() - cpuStart))
}

/// Peak (VmHWM) or current (VmRSS) resident memory of this process, from /proc, in bytes.
func residentBytes(_ field: String = "VmHWM:") -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        let digits = line.split(separator: " ").dropFirst().first ?? "0"
        return (Int(digits) ?? 0) * 1024
    }
    return -1
}

/// One video's tree of `documents` documents in the sample's proportions (half frames, a tenth
/// scenes with a caption each, the rest faces), since sample trees stop near 200.
func synthesisedTree(documents: Int) -> (DecompositionGraph, [Finding]) {
    var made: [Document] = []
    func add(_ id: String, _ collection: String, source: String?, sourceCollection: String?) {
        let statement = LineageStatement(
            place: .internal, rootObjectID: "obj_big", rootBucketID: "bkt_videos",
            sourceType: source == nil ? .bucket : .collection, sourceObjectID: source == nil ? "obj_big" : nil,
            sourceDocumentID: source, sourceCollectionID: sourceCollection)
        made.append(
            Document(
                id: id, collectionID: collection, shape: .current, statements: [statement],
                userFields: ["frame_index": .number(JSONNumber(made.count))], raw: RawJSON(bytes: [])))
    }
    let frames = documents / 2
    let scenes = documents / 10
    for frame in 0..<frames { add("doc_frame_\(frame)", "col_frames", source: nil, sourceCollection: nil) }
    for scene in 0..<scenes {
        add(
            "doc_scene_\(scene)", "col_scenes", source: "doc_frame_\(scene * frames / scenes)",
            sourceCollection: "col_frames")
        add("doc_caption_\(scene)", "col_captions", source: "doc_scene_\(scene)", sourceCollection: "col_scenes")
    }
    for face in 0..<(documents - frames - 2 * scenes) {
        add("doc_face_\(face)", "col_faces", source: "doc_frame_\(face % frames)", sourceCollection: "col_frames")
    }
    let object = BucketObject(id: "obj_big", bucketID: "bkt_videos", json: [:])
    let graph = DecompositionGraph(documents: made, objects: [object])
    return (graph, (try? Auditor().audit(graph).findings) ?? [])
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let directory = arguments.first else {
    FileHandle.standardError.write(
        Data("usage: LineageBenchmark DIRECTORY [--repeat N] [--foundation-baseline]\n".utf8))
    exit(2)
}
if let position = arguments.firstIndex(of: "--fetch"), position + 1 < arguments.count {
    // Fetching: every document of the namespace served at the URL (a `lineage serve` in its own
    // process, so this process's CPU time is the client's), page size 1000.
    let concurrency = arguments.firstIndex(of: "--concurrency").flatMap { Int(arguments[$0 + 1]) } ?? 1
    do {
        let client = MixpeekClient(
            configuration: try MixpeekConfiguration(
                baseURL: arguments[position + 1], namespace: "ns_bench", apiKey: "sk_bench", pageSize: 1000))
        let fetcher = NamespaceFetcher(client: client, options: .init(concurrency: concurrency))
        let cpuStart = cpuSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try await fetcher.fetch()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = cpuSeconds() - cpuStart
        let line: JSONValue = [
            "fetch": .number(JSONNumber(result.documents.count)), "concurrency": .number(JSONNumber(concurrency)),
            "seconds": .number(JSONNumber(wall)),
            "documents_per_second": .number(JSONNumber(Double(result.documents.count) / wall)),
            "cpu_seconds_per_1000": .number(JSONNumber(cpu / Double(max(1, result.documents.count)) * 1000)),
            "requests": .number(JSONNumber(client.requestCounts.requests)),
        ]
        print(line.serialized())
    } catch {
        FileHandle.standardError.write(Data("LineageBenchmark: \(error)\n".utf8))
        exit(2)
    }
    exit(0)
}

let repeats = arguments.firstIndex(of: "--repeat").flatMap { Int(arguments[$0 + 1]) } ?? 1
let renderMode = arguments.contains("--render")
let foundationBaseline = arguments.contains("--foundation-baseline")

if renderMode {
    // Rendering through libgvc in process: the namespace's largest root object's tree, then the
    // whole forest laid out piece by piece and packed. With --write-dot DIR, the same DOT text
    // goes to DIR/tree.gv and DIR/forest.gv so Benchmarks/run.sh can time the dot CLI on it.
    let dotDirectory = arguments.firstIndex(of: "--write-dot").map { arguments[$0 + 1] }
    do {
        let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(directory)))
        let findings = try Auditor().audit(graph).findings
        let largestTree =
            graph.rootObjectIDs.map { graph.tree(ofRootObject: $0) }.max { $0.count < $1.count } ?? []
        let writer = DOTWriter(options: .init(collapseThreshold: nil))
        let (bigTree, bigTreeFindings) = synthesisedTree(documents: 500)
        let (pieces, generation) = measure { writer.components(of: bigTree, findings: bigTreeFindings) }
        let (svg, render) = try measure { try GraphvizRenderer.render(components: pieces, format: .svg) }
        let treeResult: JSONValue = [
            "render": "one root object's tree of 500 documents", "nodes": .number(JSONNumber(bigTree.nodes.count)),
            "pieces": .number(JSONNumber(pieces.count)), "dot_seconds": .number(JSONNumber(generation.wallSeconds)),
            "render_seconds": .number(JSONNumber(render.wallSeconds)), "svg_bytes": .number(JSONNumber(svg.count)),
            "peak_rss_bytes": .number(JSONNumber(residentBytes())),
        ]
        print(treeResult.serialized())
        for (name, nodes) in [("largest root object's tree", largestTree), ("whole forest", Array(graph.nodes))] {
            let (pieces, generation) = measure { writer.components(of: graph, nodes: nodes, findings: findings) }
            let (svg, render) = try measure { try GraphvizRenderer.render(components: pieces, format: .svg) }
            if let dotDirectory {
                let file = dotDirectory + (name == "whole forest" ? "/forest.gv" : "/tree.gv")
                try AtomicFileWriter.write(
                    writer.dot(of: graph, nodes: nodes, findings: findings), to: file, overwrite: true)
            }
            let result: JSONValue = [
                "render": .string(name), "nodes": .number(JSONNumber(nodes.count)),
                "pieces": .number(JSONNumber(pieces.count)),
                "dot_seconds": .number(JSONNumber(generation.wallSeconds)),
                "render_seconds": .number(JSONNumber(render.wallSeconds)), "svg_bytes": .number(JSONNumber(svg.count)),
                "peak_rss_bytes": .number(JSONNumber(residentBytes())),
            ]
            print(result.serialized())
        }
    } catch {
        FileHandle.standardError.write(Data("LineageBenchmark: \(error)\n".utf8))
        exit(2)
    }
    exit(0)
}

do {
    let auditor = try Auditor()
    let residentAtStart = residentBytes("VmRSS:")
    for run in 1...repeats {
        let (snapshot, read) = try measure { try SnapshotReader().read(.path(directory)) }
        let residentAfterRead = residentBytes("VmRSS:")
        let (graph, build) = measure { DecompositionGraph(snapshot: snapshot) }
        let (report, audit) = measure { auditor.audit(graph) }
        let bytes = Double(snapshot.report.bytes)
        let total = read.wallSeconds + build.wallSeconds
        let result: JSONValue = [
            "run": .number(JSONNumber(run)),
            "directory": .string(directory),
            "documents": .number(JSONNumber(graph.documents.count)),
            "objects": .number(JSONNumber(graph.objects.count)),
            "input_bytes": .number(JSONNumber(snapshot.report.bytes)),
            "read_seconds": .number(JSONNumber(read.wallSeconds)),
            "read_cpu_seconds": .number(JSONNumber(read.cpuSeconds)),
            "graph_seconds": .number(JSONNumber(build.wallSeconds)),
            "audit_seconds": .number(JSONNumber(audit.wallSeconds)),
            "audit_cpu_seconds": .number(JSONNumber(audit.cpuSeconds)),
            "findings": .number(JSONNumber(report.findings.count)),
            "total_seconds": .number(JSONNumber(total)),
            "megabytes_per_second": .number(JSONNumber(bytes / 1e6 / total)),
            "documents_per_second": .number(JSONNumber(Double(graph.documents.count) / total)),
            "rss_at_start_bytes": .number(JSONNumber(residentAtStart)),
            "rss_after_read_bytes": .number(JSONNumber(residentAfterRead)),
            "rss_after_graph_bytes": .number(JSONNumber(residentBytes("VmRSS:"))),
            "peak_rss_bytes": .number(JSONNumber(residentBytes())),
        ]
        print(result.serialized())
    }
    if foundationBaseline {
        let path = directory + "/documents.jsonl"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let (count, parse) = try measure { () throws -> Int in
            var count = 0
            for line in data.split(separator: 0x0A) where !line.isEmpty {
                _ = try JSONSerialization.jsonObject(with: line)
                count += 1
            }
            return count
        }
        let result: JSONValue = [
            "baseline": "Foundation JSONSerialization, parse only, one thread",
            "documents": .number(JSONNumber(count)),
            "seconds": .number(JSONNumber(parse.wallSeconds)),
            "megabytes_per_second": .number(JSONNumber(Double(data.count) / 1e6 / parse.wallSeconds)),
        ]
        print(result.serialized())
    }
} catch {
    FileHandle.standardError.write(Data("LineageBenchmark: \(error)\n".utf8))
    exit(2)
}

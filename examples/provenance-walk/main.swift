// Walks the provenance of one document in a namespace: from a caption back to the video it
// came from, printing each step and the fields it carries, then what the audit says of it.
//
// Run: swift run ProvenanceWalk [DIRECTORY]   (default: examples/data)

import Foundation
import LineageKit

let directory = CommandLine.arguments.dropFirst().first ?? "examples/data"

do {
    let snapshot = try SnapshotReader().read(.path(directory))
    let graph = DecompositionGraph(snapshot: snapshot)
    print("Read \(graph.documents.count) documents and \(graph.objects.count) objects from \(directory)")

    // The deepest document is the most interesting walk.
    guard
        let deepest = graph.documents.max(by: {
            (graph.tier(of: .document($0.id)) ?? 0) < (graph.tier(of: .document($1.id)) ?? 0)
        })
    else {
        print("No documents found.")
        exit(1)
    }
    print(
        "\nProvenance of \(deepest.id) (\(deepest.collectionID), tier \(graph.tier(of: .document(deepest.id)) ?? 0)):")
    for node in graph.pathToRoot(from: .document(deepest.id)) {
        switch node.kind {
        case .document, .ghostDocument:
            let fields = graph.document(node.id.rawID)?.userFields.keys.joined(separator: ", ") ?? "absent"
            print("  \(node.id.rawID)  in \(node.collectionID ?? "?")  fields: \(fields)")
        case .object, .ghostObject:
            let metadata = graph.object(node.id.rawID)?.metadata.serialized() ?? "absent"
            print("  \(node.id.rawID)  in \(node.bucketID ?? "?")  metadata: \(metadata)")
        }
    }

    // What the audit says about it.
    let report = try Auditor().audit(graph)
    let findings = report.findings.filter { $0.documentID == deepest.id }
    print("\nAudit findings on \(deepest.id): \(findings.isEmpty ? "none" : "")")
    for finding in findings {
        print("  \(finding.rule) (\(finding.severity.rawValue)): \(finding.message)")
    }

    // Every document derived from the same root object, per collection.
    if let root = deepest.lineage.rootObjectID {
        var perCollection: [String: Int] = [:]
        for node in graph.tree(ofRootObject: root) where node.kind == .document {
            perCollection[node.collectionID ?? "?", default: 0] += 1
        }
        print("\nThe tree of \(root):")
        for (collection, count) in perCollection.sorted(by: { $0.key < $1.key }) {
            print("  \(collection): \(count) document(s)")
        }
    }
} catch {
    print("error: \(error)")
    exit(2)
}

extension JSONObject {
    fileprivate func serialized() -> String { JSONValue.object(self).serialized() }
}

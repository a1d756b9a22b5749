import ArgumentParser
import Foundation
import LineageKit
import LineageSample

/// `lineage sample`: writes a realistic synthetic namespace.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a realistic synthetic namespace: documents, bucket objects and collection configs.",
        discussion: """
            Videos become frames, scenes, captions and faces; articles become chunks; passthrough \
            fields are copied from the objects. The same options and seed give the same files, byte \
            for byte. Writes documents.jsonl, objects.jsonl and collections.json into the directory, \
            each atomically, and never replaces existing files without --force.

            Examples:
              lineage sample -o /tmp/ns
              lineage sample -o /tmp/big --videos 11000 --articles 2000 --seed 7
              lineage sample -o /tmp/broken --videos 6 --articles 6 --defects 2
            """
    )

    @Option(
        name: [.short, .customLong("output"), .customLong("out", withSingleDash: false)],
        help: ArgumentHelp("The directory to write into (created if needed); --out is the old name.", valueName: "dir"))
    var out: String

    @Option(help: "Video objects to generate.")
    var videos = 3

    @Option(help: "Article objects to generate.")
    var articles = 2

    @Option(help: "Seed of the generator; the same seed gives the same namespace.")
    var seed: UInt64 = 1

    @Option(help: "Document shape: \(SampleNamespace.ShapeChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var shape: SampleNamespace.ShapeChoice = .current

    @Option(
        help: """
            Inject this many instances of each audit rule's defect, and write the findings the audit \
            must report to expected/findings.jsonl.
            """)
    var defects = 0

    @Option(
        help: """
            How rich each document is: compact (lineage and a few user fields), or vendor (as rich as \
            the vendor's example payloads: sorted keys, full _internal, enrichments, longer metadata).
            """)
    var style: SampleNamespace.Style = .compact

    @Flag(help: "Replace files that already exist in the directory.")
    var force = false

    func validate() throws {
        guard videos >= 0, articles >= 0, defects >= 0 else {
            throw ValidationError("--videos, --articles and --defects cannot be negative.")
        }
    }

    func run() throws {
        let sample = SampleNamespace(
            options: .init(videos: videos, articles: articles, seed: seed, shape: shape, defects: defects, style: style)
        )
        let existed = FileManager.default.fileExists(atPath: out)
        let summary: SampleNamespace.WriteSummary
        do {
            summary = try sample.write(to: out, overwrite: force)
        } catch {
            // Leave nothing behind: a directory made for this run and still empty goes again.
            if !existed, (try? FileManager.default.contentsOfDirectory(atPath: out + "/expected"))?.isEmpty ?? true {
                try? FileManager.default.removeItem(atPath: out + "/expected")
            }
            if !existed, (try? FileManager.default.contentsOfDirectory(atPath: out))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: out)
            }
            throw error
        }
        var text =
            "Wrote \(summary.documents) documents, \(summary.objects) objects and \(summary.collections) collections"
        if defects > 0 { text += ", with \(summary.expectedFindings) expected findings," }
        StandardOutput.write(text + " (\(summary.bytes) bytes) to \(out)\n")
    }
}

extension SampleNamespace.ShapeChoice: ExpressibleByArgument {}
extension SampleNamespace.Style: ExpressibleByArgument {}

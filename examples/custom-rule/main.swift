// Adds a rule of your own to the audit: every caption names its language. Custom rules run beside
// the built-in ones, on every document, on both cores, and their findings come back in the same
// report (JSON, SARIF, JUnit…) under their `custom.` id.
//
// Run: swift run CustomRule [DIRECTORY]   (default: examples/data)
// Prints each custom finding as `rule<TAB>document<TAB>message`, then a summary line; exits 1 when
// the custom rule found anything, as a CI step would.

import Foundation
import LineageKit

/// Every document in a captions collection (one whose configured name, or else whose id, contains
/// "caption") has a top-level `language` user field.
struct CaptionLanguageRule: AuditRule {
    let id = "custom.caption-language"
    let severity = Severity.warning
    let summary = "A caption document has no `language` field."

    func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        let collection = context.config(of: document)?.name ?? document.document.collectionID
        guard collection.contains("caption") else { return }
        // Reads the fingerprint kept in memory; the file is read again only for the value.
        guard document.document.userField("language") == nil else { return }
        findings.append(
            finding(
                document, "caption \(document.document.id) has no `language` field",
                evidence: ["field": "language", "collection_id": .string(document.document.collectionID)]))
    }
}

let directory = CommandLine.arguments.dropFirst().first ?? "examples/data"
do {
    let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(directory)))
    let auditor = try Auditor(customRules: [CaptionLanguageRule()])
    let report = auditor.audit(graph)
    let custom = report.findings.filter { $0.rule.hasPrefix(Auditor.customRulePrefix) }
    for finding in custom {
        print("\(finding.rule)\t\(finding.documentID ?? "-")\t\(finding.message)")
    }
    print(
        "\(report.documents) documents, \(auditor.rules.count) rules, \(report.findings.count) findings, "
            + "\(custom.count) from custom rules")
    exit(custom.isEmpty ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("CustomRule: \(error)\n".utf8))
    exit(2)
}

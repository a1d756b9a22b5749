import Dispatch
import Foundation

/// Runs audit rules over a decomposition graph and collects their findings into an ``AuditReport``.
///
/// Document rules run over the documents in parallel pieces; namespace rules run once. The work is
/// linear in the input and never recurses per document. Findings come back in a deterministic
/// order (rule, collection, document), whatever the thread timing.
public struct Auditor: Sendable {
    /// Which rules run.
    public struct Configuration: Sendable {
        /// Rule id patterns to run (`*` and `?` wildcards, e.g. `mismatch.*`); empty means all.
        public var rules: [String]
        /// Rule id patterns not to run.
        public var ignoredRules: [String]
        /// Threads used for document rules.
        public var concurrency: Int

        /// Creates a configuration.
        public init(rules: [String] = [], ignoredRules: [String] = [], concurrency: Int? = nil) {
            self.rules = rules
            self.ignoredRules = ignoredRules
            self.concurrency = max(1, concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
        }
    }

    /// Every rule LineageKit has, in documentation order.
    public static let allRules: [any AuditRule] = [
        OrphanMissingParentRule(), OrphanMissingRootRule(), OrphanDeletedRootRule(), OrphanNoLineageRule(),
        MismatchRootRule(),
        MismatchSourceRule(), MismatchCollectionRule(), MismatchPathRule(), MismatchParentRule(),
        MismatchPipelineRule(), MismatchTimestampRule(), CycleRule(), MetadataDriftRule(),
        IngestionIncompleteRule(), UncheckedReferenceRule(), PartialCoverageRule(), CoverageMissingRule(),
        DuplicateDocumentRule(), StaleExtractorRule(), EnrichmentPartialRule(), CollectionArchivedRule(),
        BatchUnreconciledRule(),
    ]

    /// The rules that run: the selected built-in rules in documentation order, then the selected
    /// custom rules in the order given.
    public let rules: [any AuditRule]
    /// The configuration in force.
    public let configuration: Configuration

    /// The prefix every custom rule's id starts with, so that a custom rule can never be mistaken
    /// for (or shadow) a built-in one, today's or a future one's.
    public static let customRulePrefix = "custom."

    /// Selects rules by the configuration's patterns, from the built-in rules and `customRules`.
    ///
    /// - Parameters:
    ///   - configuration: Which rules run; its patterns match built-in and custom ids alike.
    ///   - customRules: Your own rules, run beside the built-in ones. Each id starts with
    ///     ``customRulePrefix`` followed by a name of lowercase letters, digits, `-`, `_` and `.`
    ///     (`custom.caption-language`), and no two are the same.
    /// - Throws: ``LineageKitError`` (`invalidArgument`) when a custom rule's id is malformed or
    ///   repeated, or when a pattern matches no rule, which is almost always a typo that would
    ///   otherwise silently audit nothing.
    public init(configuration: Configuration = Configuration(), customRules: [any AuditRule] = []) throws {
        var customIDs: Set<String> = []
        for rule in customRules {
            guard Self.isCustomRuleID(rule.id) else {
                throw LineageKitError(
                    code: .invalidArgument,
                    message: "custom rule id '\(rule.id)' must be '\(Self.customRulePrefix)' and a name of lowercase "
                        + "letters, digits, '-', '_' and '.', such as '\(Self.customRulePrefix)caption-language'")
            }
            guard customIDs.insert(rule.id).inserted else {
                throw LineageKitError(code: .invalidArgument, message: "two custom rules have the id '\(rule.id)'")
            }
        }
        let candidates = Self.allRules + customRules
        for pattern in configuration.rules + configuration.ignoredRules
        where !candidates.contains(where: { Glob.matches(pattern, $0.id) }) {
            throw LineageKitError(
                code: .invalidArgument,
                message: "rule pattern '\(pattern)' matches no rule; rules are "
                    + candidates.map(\.id).joined(separator: ", "))
        }
        self.configuration = configuration
        self.rules = candidates.filter { rule in
            (configuration.rules.isEmpty || configuration.rules.contains { Glob.matches($0, rule.id) })
                && !configuration.ignoredRules.contains { Glob.matches($0, rule.id) }
        }
    }

    /// Whether `id` is a well-formed custom rule id: ``customRulePrefix`` and a non-empty name of
    /// lowercase ASCII letters, digits, `-`, `_` and `.`.
    static func isCustomRuleID(_ id: String) -> Bool {
        guard id.hasPrefix(customRulePrefix) else { return false }
        let name = id.utf8.dropFirst(customRulePrefix.utf8.count)
        return !name.isEmpty
            && name.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            }
    }

    /// Audits `graph`.
    public func audit(_ graph: DecompositionGraph) -> AuditReport {
        let context = AuditContext(graph: graph)
        let documentCount = graph.documents.count
        let pieces = max(1, min(configuration.concurrency * 4, documentCount / 2_000))
        // The arrays are read through buffers: reading `graph.documents[position]` in the loop
        // retained and released the whole array for every document.
        let perPiece = graph.documents.withUnsafeBufferPointer { documents in
            graph.documentNodeIndex.withUnsafeBufferPointer { nodeIndex in
                let shared = WorkerShared((documents, nodeIndex))
                return mapPieces(pieces) { piece in
                    let (documents, nodeIndex) = shared.value
                    // Each piece calls the rules through closures of its own, made once: calling a
                    // rule's existential box copied it for every document, and closures shared by
                    // both cores had their reference counts bounce between them.
                    let checks = rules.map { rule in
                        { (document: DocumentUnderAudit, findings: inout [Finding]) in
                            rule.check(document, in: context, into: &findings)
                        }
                    }
                    var findings: [Finding] = []
                    let range = (documentCount * piece / pieces)..<(documentCount * (piece + 1) / pieces)
                    for position in range {
                        let node = nodeIndex[position]
                        guard node >= 0 else { continue }
                        let underAudit = DocumentUnderAudit(
                            lending: documents, position: position, nodeIndex: Int(node))
                        for check in checks {
                            check(underAudit, &findings)
                        }
                    }
                    return findings
                }
            }
        }
        var findings = perPiece.flatMap { $0 }
        for rule in rules {
            rule.checkNamespace(in: context, into: &findings)
        }
        findings.sort(by: Finding.ordered)
        return AuditReport(
            documents: documentCount, objects: graph.objects.count,
            collections: Set(graph.documentCollectionIDs).union(graph.collections.map(\.id)).count,
            rules: rules.map(\.id), findings: findings)
    }
}

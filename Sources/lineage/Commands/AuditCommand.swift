import ArgumentParser
import Foundation
import LineageKit

/// `lineage audit`: checks lineage and reports findings with stable rule ids.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check lineage: orphans, disagreements, cycles, metadata drift and incomplete ingestion.",
        discussion: """
            Every finding names a stable rule id, a severity, the document and collection, a message \
            and its evidence. Rules: \(Auditor.allRules.map(\.id).joined(separator: ", ")) \
            (docs/cli.md says when each fires).

            Exit codes: 0 when no finding reaches --fail-on, 1 when one does, 2 for usage or input errors.

            Examples:
              lineage audit examples/data
              lineage audit snapshot/ --format json --rules 'mismatch.*,cycle'
              lineage audit snapshot/ --write-baseline baseline.json
              lineage audit snapshot/ --baseline baseline.json --fail-on warning
            """
    )

    @OptionGroup var input: InputOptions

    @Option(
        help: """
            Output format: text, json, junit (JUnit XML), gitlab (GitLab Code Quality JSON), github \
            (workflow annotations, and a Markdown summary into $GITHUB_STEP_SUMMARY when set) or sarif \
            (SARIF 2.1.0 for code scanning).
            """)
    var format: AuditFormat = .text

    @OptionGroup var selection: RuleOptions

    @Option(help: "Exit with 1 when a finding reaches this severity: error, warning or never.")
    var failOn: FailureThreshold = .error

    @Option(help: ArgumentHelp("Report only findings not in this baseline file.", valueName: "file"))
    var baseline: String?

    @Option(
        help: ArgumentHelp(
            "Save the findings as a baseline file (replacing only an earlier baseline).", valueName: "file"))
    var writeBaseline: String?

    @Flag(help: "Show every finding in text output (by default at most 10 per rule).")
    var all = false

    @Option(
        help: ArgumentHelp(
            "Where the rules run: in-process, or an SQL engine's CLI on PATH over the raw files: duckdb or "
                + "spark (spark-sql). `lineage sql` prints the script.", valueName: "engine"))
    var engine: AuditEngine = .inProcess

    @Option(
        help: ArgumentHelp(
            "An argument for the engine's CLI (repeatable), e.g. --engine-option=--master --engine-option=local[2].",
            valueName: "argument"))
    var engineOption: [String] = []

    func validate() throws {
        guard engine != .inProcess else {
            if !engineOption.isEmpty { throw ValidationError("--engine-option needs --engine duckdb or spark.") }
            return
        }
        if input.inputs.isEmpty || input.inputs.contains("-") {
            throw ValidationError(
                "--engine \(engine.rawValue) reads files, not standard input or the API: give input files or "
                    + "directories (`lineage fetch` writes a snapshot directory).")
        }
    }

    func run() async throws {
        let auditor = try selection.auditor()
        var report: AuditReport
        var locations: [String: SourceLocation] = [:]
        var firstFile: SourceLocation?
        if let dialect = engine.dialect {
            report = try SQLEngineRunner(dialect: dialect, options: engineOption).audit(
                input.inputs, rules: auditor.rules)
        } else {
            let snapshot = try await input.readSnapshot()
            let graph = ProcessLifetime.graph(of: snapshot)
            report = auditor.audit(graph)
            try snapshot.checkInputsUnchanged()
            if [.gitlab, .github, .sarif].contains(format) { locations = Self.locations(of: report, in: graph) }
            firstFile = snapshot.documents.first?.location.map { SourceLocation(file: $0.file, line: 1) }
        }
        if let writeBaseline {
            try Self.write(AuditBaseline(report: report), to: writeBaseline)
            StandardError.print("lineage: wrote \(report.findings.count) finding(s) to the baseline \(writeBaseline)")
        }
        if let baseline {
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: baseline)))
            } catch {
                throw ValidationError("Cannot read the baseline \(baseline): \(error.localizedDescription)")
            }
            report = report.excluding(try AuditBaseline(bytes: bytes, name: baseline))
        }
        switch format {
        case .text:
            let colour = Terminal.supportsColour(FileHandle.standardOutput)
            StandardOutput.write(
                report.text(
                    .init(colour: colour, maximumPerRule: all ? nil : 10, moreHint: "--all shows every finding")))
        case .json:
            StandardOutput.write(json: report.json, layout: .pretty)
        case .junit:
            StandardOutput.write(report.junit())
        case .gitlab:
            let issues = report.gitlabCodeQuality { locations[Self.key($0.collectionID, $0.documentID)] }
            StandardOutput.write(json: issues, layout: .pretty)
        case .sarif:
            let log = report.sarif(rules: auditor.rules, toolVersion: Lineage.version, fallback: firstFile) {
                locations[Self.key($0.collectionID, $0.documentID)]
            }
            StandardOutput.write(json: log, layout: .pretty)
        case .github:
            StandardOutput.write(report.githubAnnotations { locations[Self.key($0.collectionID, $0.documentID)] })
            let summary = report.githubSummary(moreHint: "`lineage audit --format json` lists them all")
            if let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
                try Self.append(summary, to: path)
            } else {
                StandardOutput.write(summary)
            }
        }
        if let threshold = failOn.severity, report.hasFindings(atLeast: threshold) {
            throw ExitCode.findings
        }
    }

    static func key(_ collection: String?, _ document: String?) -> String {
        (collection ?? "") + "\u{0}" + (document ?? "")
    }

    /// Where each document with a finding was read from (file and line), looked up by the
    /// finding's document id: walking every document would make each one's id string.
    static func locations(of report: AuditReport, in graph: DecompositionGraph) -> [String: SourceLocation] {
        var locations: [String: SourceLocation] = [:]
        for finding in report.findings {
            guard let id = finding.documentID, let document = graph.document(id),
                document.collectionID == finding.collectionID ?? "", let location = document.location
            else { continue }
            locations[key(finding.collectionID, id)] = location
        }
        return locations
    }

    /// Appends `text` to the file at `path` (GitHub's job summary file), creating it when missing.
    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ValidationError("Cannot create the job summary \(path) (GITHUB_STEP_SUMMARY).")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("Cannot write the job summary \(path) (GITHUB_STEP_SUMMARY).")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Writes a baseline, replacing an existing file only when it is itself a baseline.
    static func write(_ baseline: AuditBaseline, to path: String) throws {
        var overwrite = false
        if FileManager.default.fileExists(atPath: path) {
            let existing = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { Array($0) } ?? []
            guard (try? AuditBaseline(bytes: existing, name: path)) != nil else {
                throw ValidationError("\(path) exists and is not a lineage baseline; not replacing it.")
            }
            overwrite = true
        }
        try AtomicFileWriter.write(baseline.json.serialized(.pretty) + "\n", to: path, overwrite: overwrite)
    }
}

/// `audit --format`.
enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, gitlab, github, sarif
}

/// `--fail-on`: the severity that makes `audit` exit with 1.
enum FailureThreshold: String, ExpressibleByArgument, CaseIterable {
    case error, warning, never

    var severity: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .never: nil
        }
    }
}

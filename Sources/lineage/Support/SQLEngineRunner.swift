import ArgumentParser
import Foundation
import LineageKit

/// Where the audit runs: in this process, or in an SQL engine's own CLI over the raw files.
enum AuditEngine: String, ExpressibleByArgument, CaseIterable {
    case inProcess = "in-process"
    case duckdb
    case spark

    /// The dialect of the SQL engines.
    var dialect: SQLDialect? {
        switch self {
        case .inProcess: nil
        case .duckdb: .duckdb
        case .spark: .spark
        }
    }
}

/// Runs an ``AuditScript`` through an engine's CLI found on `PATH` (`duckdb`, `spark-sql`) and
/// reads its result rows back.
struct SQLEngineRunner {
    let dialect: SQLDialect
    /// Extra arguments for the engine's CLI (`--engine-option`), e.g. Spark's `--master`.
    let options: [String]

    /// The engine's program and how to get it.
    private var program: (name: String, install: String) {
        switch dialect {
        case .duckdb: ("duckdb", "pip install duckdb-cli")
        case .spark:
            ("spark-sql", "pip install pyspark (with a Java 17 runtime, e.g. apt install openjdk-17-jre-headless)")
        }
    }

    /// Audits `inputs` (files, directories, globs) with `rules`.
    func audit(_ inputs: [String], rules: [any AuditRule]) throws -> AuditReport {
        // The engine runs in a directory of its own (Spark keeps its metastore and tables in it),
        // so local paths are made absolute; URLs (`s3://…`) are left as they are.
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = inputs.map { path in
            path.hasPrefix("/") || path.contains("://") ? path : (cwd as NSString).appendingPathComponent(path)
        }
        let script = try AuditScript(
            dialect: dialect, inputs: try absolute.flatMap(AuditScript.Input.expanding), rules: rules)
        let output = try run(script.engineText)
        let (summary, findings) = try script.results(fromEngineOutput: output)
        let skipped = summary.unknownRecords + summary.documentsWithoutIDs
        if skipped > 0 {
            throw ValidationError(
                "\(skipped) record(s) in the input are neither documents (with document_id and collection_id), "
                    + "objects nor collection configurations; `lineage audit` without --engine names them")
        }
        return AuditReport(
            documents: summary.documents, objects: summary.objects, collections: summary.collections,
            rules: rules.map(\.id), findings: findings)
    }

    /// Runs `script` and returns the engine's standard output.
    private func run(_ script: String) throws -> [UInt8] {
        guard let executable = Self.find(program.name) else {
            throw ValidationError(
                "--engine \(dialect.rawValue) needs `\(program.name)` on PATH, and it is not there: \(program.install)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lineage-sql-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptFile = directory.appendingPathComponent("audit.sql")
        try Data(script.utf8).write(to: scriptFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        switch dialect {
        case .duckdb:
            process.arguments = options + ["-no-init", "-bail", "-noheader", "-list", "-f", scriptFile.path]
        case .spark:
            process.arguments =
                ["--conf", "spark.ui.enabled=false", "-S"] + options + ["-f", scriptFile.path]
        }
        let standardOutput = directory.appendingPathComponent("out")
        let standardError = directory.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: standardOutput.path, contents: nil)
        _ = FileManager.default.createFile(atPath: standardError.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: standardOutput)
        process.standardError = try FileHandle(forWritingTo: standardError)
        process.standardInput = FileHandle.nullDevice
        process.currentDirectoryURL = directory
        try process.run()
        process.waitUntilExit()
        let output = Array(try Data(contentsOf: standardOutput))
        guard process.terminationStatus == 0 else {
            let errors = String(decoding: (try? Data(contentsOf: standardError)) ?? Data(), as: UTF8.self)
            let lines = errors.split(separator: "\n").filter { !$0.contains(" INFO ") && !$0.contains(" WARN ") }
            throw ValidationError(
                "\(program.name) failed (exit status \(process.terminationStatus)): "
                    + lines.suffix(12).joined(separator: "\n"))
        }
        return output
    }

    /// The path of `program` in a directory of `PATH`.
    static func find(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

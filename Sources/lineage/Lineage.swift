import ArgumentParser
import LineageCorrections
import LineageKit
import MixpeekClient

/// The `lineage` command: audits and draws the provenance of documents in a Mixpeek namespace.
@main
struct Lineage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Audit and draw the provenance of documents in a Mixpeek namespace.",
        discussion: """
            Inputs are files or directories (the .json and .jsonl files directly in them) holding documents, \
            bucket objects and collection configurations, in any shape the Mixpeek API has returned; \
            '-' reads standard input.

            Exit codes: 0 success, 1 findings at or above --fail-on (audit), 2 usage or input errors.
            """,
        version: "0.1.0",
        subcommands: [
            StatsCommand.self, AuditCommand.self, GraphCommand.self, SampleCommand.self, FetchCommand.self,
            ServeCommand.self, PlanCommand.self, ApplyCommand.self, UndoCommand.self,
            ReportCommand.self,
        ]
    )

    /// Runs the command and maps every failure to the documented exit codes: usage and input
    /// errors exit with 2, with a message on standard error and never a crash.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as LineageKitError {
            StandardError.print("lineage: error: \(error)")
            Self.exit(withError: ExitCode.inputError)
        } catch let error as CorrectionsError {
            StandardError.print("lineage: error: \(error)")
            Self.exit(withError: ExitCode.inputError)
        } catch let error as MixpeekError {
            StandardError.print("lineage: error: \(error)")
            Self.exit(withError: ExitCode.inputError)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if code == .validationFailure {
                StandardError.print(fullMessage(for: error))
                Self.exit(withError: ExitCode.inputError)
            }
            exit(withError: error)
        }
    }
}

extension ExitCode {
    /// Usage and input errors.
    static let inputError = ExitCode(2)
    /// The command ran and found problems at or above the threshold.
    static let findings = ExitCode(1)
}

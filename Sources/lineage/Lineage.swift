import ArgumentParser
import Dispatch
import Foundation
import LineageKit

/// The process entry: runs the command on the concurrency runtime's threads and waits on the main
/// thread, then exits from the main thread. (An `async` main parks the main thread in
/// `dispatch_main`, and a process exiting from another thread while it sits there crashes
/// valgrind, which scripts/leak-check runs the CLI under.)
@main
enum LineageMain {
    static func main() {
        let result = ExitStatus()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            result.code = await Lineage.runAndReport()
            done.signal()
        }
        done.wait()
        exit(result.code)
    }
}

/// The exit status the command's task hands to the main thread.
private final class ExitStatus: @unchecked Sendable {
    var code: Int32 = 0
}

/// The `lineage` command: audits and draws the provenance of documents in a Mixpeek namespace.
struct Lineage: AsyncParsableCommand {
    /// The version `--version` prints and SARIF names.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Audit and draw the provenance of documents in a Mixpeek namespace.",
        discussion: """
            Inputs are files or directories (the .json and .jsonl files directly in them) holding documents, \
            bucket objects and collection configurations, in any shape the Mixpeek API has returned; \
            '-' reads standard input; --namespace reads the Mixpeek API instead.

            Exit codes: 0 success; 1 findings at or above --fail-on (audit), or conflicts and failed \
            patches (apply, undo); 2 usage, input or API errors.
            """,
        version: version,
        subcommands: [
            StatsCommand.self, AuditCommand.self, DiffCommand.self, ImpactCommand.self, GraphCommand.self,
            ExportCommand.self,
            ReportCommand.self,
            FetchCommand.self,
            ServeCommand.self, PlanCommand.self, ApplyCommand.self, UndoCommand.self, SampleCommand.self,
            SQLCommand.self,
        ]
    )

    /// Runs the command and maps every failure to the documented exit codes: usage, input and API
    /// errors give 2, with a message on standard error and never a crash; help and `--version`
    /// print and give 0.
    static func runAndReport() async -> Int32 {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // Parsing and validation: ArgumentParser's message with the subcommand's usage.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                return 0
            }
            StandardError.print(message)
            return code == .validationFailure ? ExitCode.inputError.rawValue : code.rawValue
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as ExitCode {
            return error.rawValue
        } catch let error as ValidationError {
            // Found while running (a missing file, another plan's journal): the message says what to
            // do, and the root command's bare usage line would only confuse.
            StandardError.print("lineage: error: \(error.message)")
        } catch {
            // Help and --version arrive here as errors that mean success.
            let code = exitCode(for: error)
            if code == .success {
                let message = fullMessage(for: error)
                if !message.isEmpty { print(message) }
                return 0
            }
            guard code != .validationFailure else {
                StandardError.print(fullMessage(for: error))
                return ExitCode.inputError.rawValue
            }
            let hint = Remedy.of(error).map { " (\($0.commandLineHint))" } ?? ""
            StandardError.print("lineage: error: \(error)\(hint)")
        }
        return ExitCode.inputError.rawValue
    }
}

extension ExitCode {
    /// Usage and input errors.
    static let inputError = ExitCode(2)
    /// The command ran and found problems at or above the threshold.
    static let findings = ExitCode(1)
}

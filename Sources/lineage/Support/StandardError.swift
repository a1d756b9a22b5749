import Foundation
import LineageKit

/// Diagnostics go to standard error; results go to standard output.
enum StandardError {
    static func print(_ message: String) {
        var text = message
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Writes results to standard output: in one piece, or piece by piece for output streamed as it
/// is made.
enum StandardOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func write(bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Writes `value`'s JSON text and a newline in pieces, never the whole text at once.
    static func write(json value: JSONValue, layout: JSONValue.Layout) {
        value.write(layout: layout) { write(bytes: $0) }
        write("\n")
    }
}

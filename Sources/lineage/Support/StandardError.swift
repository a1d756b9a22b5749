import Foundation

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
}

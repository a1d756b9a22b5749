import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the terminal on the other end of a stream can do.
enum Terminal {
    /// Colour only for a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    static func supportsColour(_ handle: FileHandle) -> Bool {
        if let noColour = ProcessInfo.processInfo.environment["NO_COLOR"], !noColour.isEmpty { return false }
        if ProcessInfo.processInfo.environment["TERM"] == "dumb" { return false }
        return isatty(handle.fileDescriptor) == 1
    }
}

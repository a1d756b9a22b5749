import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks an output file before any work is done, so a run that cannot write its result stops
/// at once instead of after reading a namespace.
enum OutputPath {
    /// Throws a `ValidationError` saying what to do when `path` exists (without `force`), is a
    /// directory, or sits in a directory that is missing or not writable.
    static func check(_ path: String, force: Bool, option: String = "-o") throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw ValidationError("\(option) \(path) is a directory; give a file name.")
            }
            if !force { throw ValidationError("\(path) already exists; give --force to replace it.") }
        }
        let directory = (path as NSString).deletingLastPathComponent
        let parent = directory.isEmpty ? "." : directory
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(option) \(path): the directory \(parent) does not exist; create it first.")
        }
        guard access(parent, W_OK) == 0 else {
            throw ValidationError("\(option) \(path): the directory \(parent) is not writable.")
        }
    }
}

import Foundation

/// Finds third-party programs the tests drive (a browser, Python, DuckDB's CLI).
public enum ExecutableSearch {
    /// The path of the first of `names` that is an executable file in a directory of `PATH`, then of
    /// `extraDirectories`; `nil` when there is none. Names are tried in order, each in every directory.
    public static func find(_ names: [String], alsoIn extraDirectories: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        let directories = path.split(separator: ":").map(String.init) + extraDirectories
        for name in names {
            for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }
}

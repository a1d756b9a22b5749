import Foundation

/// Headless Chromium, for tests that need a page's DOM after its scripts ran.
public enum Browser {
    /// The browser: `LINEAGE_BROWSER`, else `chromium`, `chromium-browser` or `google-chrome` on
    /// the PATH; `nil` when there is none (scripts/setup installs Debian's `chromium`).
    public static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["LINEAGE_BROWSER"] { return path }
        return ExecutableSearch.find(["chromium", "chromium-browser", "google-chrome"])
    }

    /// The serialised DOM of `url` after its scripts ran (`--dump-dom`).
    public static func dumpDOM(_ url: String) throws -> String {
        try run(["--dump-dom", url])
    }

    /// Saves a screenshot of `url` at `width`×`height` to `path`.
    public static func screenshot(_ url: String, to path: String, width: Int = 1400, height: Int = 2200) throws {
        _ = try run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(path)", url])
    }

    private static func run(_ arguments: [String]) throws -> String {
        guard let executable else {
            throw CocoaError(
                .executableNotLoadable,
                userInfo: [NSLocalizedDescriptionKey: "no headless browser: run scripts/setup (installs chromium)"])
        }
        let profile = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000",
            ] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

// swift-tools-version:6.0
import PackageDescription

// Parsing, indexing and diffing are hot loops: `swift run` and `swift test` build in debug,
// where unoptimised Swift is 10-30x slower, so these modules are optimised in every build.
let optimisedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// A folder whose `libstdc++.so` is a linker script naming `libstdc++.a`: searched first, it links
/// the C++ library statically (release builds only; see DECISIONS.md).
let staticLibstdcxx = String(#filePath.dropLast("Package.swift".count)) + "scripts/static-libstdc++"

let package = Package(
    name: "Redline",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "redline", targets: ["redline"]),
        .library(name: "PolicyCore", targets: ["PolicyCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw",
                       providers: [.apt(["libncurses-dev"])]),
        // Versions' sections are kept compressed in the catalog (a third of their size), by the
        // system's libzstd.so.1 (no headers needed: see DECISIONS.md).
        .target(name: "CZstd", linkerSettings: [.linkedLibrary(":libzstd.so.1")]),
        // One C function: `sqlite3_config` is variadic, which Swift does not call.
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "PolicyCore",
                dependencies: ["CSQLiteSetup", "CZstd", .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "GRDBSQLite", package: "GRDB.swift")],
                swiftSettings: optimisedEvenInDebug),
        .target(name: "TerminalUI"),
        .target(name: "CursesBackend", dependencies: ["CNcursesw", "TerminalUI"]),
        .target(name: "RedlineApp", dependencies: ["PolicyCore", "TerminalUI"]),
        .executableTarget(name: "redline",
                          dependencies: ["PolicyCore", "TerminalUI", "CursesBackend", "RedlineApp",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          // A release binary exporting no symbols, with the C++ library linked in:
                          // the runtime's start-up dladdr(3) has no 8 000 symbols to walk (~0.3 ms),
                          // and there is no shared libstdc++ to map, relocate and initialise (~0.8 ms).
                          // The install build adds -Xlinker -no-pie (README): not here, where it would
                          // reach the plain release build too, linked against the shared Foundation,
                          // and the loader warned on stderr about protected functions. See DECISIONS.md.
                          linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic",
                                                         "-L" + staticLibstdcxx],
                                                        .when(configuration: .release))]),
        .testTarget(name: "PolicyCoreTests", dependencies: ["PolicyCore"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "RedlineAppTests", dependencies: ["RedlineApp", "PolicyCore", "TerminalUI"],
                    exclude: ["Golden"]),
        .testTarget(name: "EndToEndTests", dependencies: ["redline"]),
    ]
)

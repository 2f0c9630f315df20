// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Root of this package, so that the C++ target can find the ONNX Runtime header fetched by `make setup`.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "microanpr",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "microanpr", targets: ["microanpr"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        // Reads the API's description (Sources/Server/openapi.yaml) to serve it as JSON.
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        // The edge agent's client for POST /v1/passes, generated from openapi.yaml (scripts/generate-api-client.sh).
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.0"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        // PostgreSQL's TLS settings (sslmode, sslrootcert): the same copy PostgresNIO already builds on.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
    ],
    targets: [
        .target(
            name: "CVision",
            cxxSettings: [
                .unsafeFlags(["-I/usr/include/opencv4", "-I\(root)/.deps/include", "-std=c++17", "-O2"])
            ],
            linkerSettings: [
                .linkedLibrary("opencv_core"),
                .linkedLibrary("opencv_imgproc"),
                .linkedLibrary("opencv_imgcodecs"),
                .linkedLibrary("avformat"),
                .linkedLibrary("avcodec"),
                .linkedLibrary("avutil"),
                .linkedLibrary("swscale"),
                .linkedLibrary("dl"),
            ]
        ),
        .target(name: "Vision", dependencies: ["CVision"], swiftSettings: swiftSettings),
        .target(name: "Plates", swiftSettings: swiftSettings),
        .target(name: "Tracking", swiftSettings: swiftSettings),
        .target(name: "Rules", dependencies: ["Plates"], swiftSettings: swiftSettings),
        .target(name: "Parking", swiftSettings: swiftSettings),
        .target(name: "Recognition", dependencies: ["Vision", "Plates", "Tracking"], swiftSettings: swiftSettings),
        // Generated from Sources/Server/openapi.yaml by scripts/generate-api-client.sh (committed; CI never
        // builds the generator).
        .target(
            name: "APIContract",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi-generator-config.yaml"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Edge",
            dependencies: [
                "Recognition", "Tracking", "APIContract",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Storage",
            dependencies: [
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Media",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // CSV, XLSX and PDF writers (Foundation only): the file formats of exports and reports.
        .target(name: "ExportFormats", swiftSettings: swiftSettings),
        // The application core: what the server does, without HTTP (ingest, quotas, events, the rules cache,
        // workers as Services, webhooks, auth primitives, configuration, domain errors).
        .target(
            name: "Core",
            dependencies: [
                "Storage", "Media", "Recognition", "Plates", "Vision", "Tracking", "Rules", "Parking", "ExportFormats",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "Core", "Storage", "Media", "Recognition", "Plates", "Vision", "Tracking", "Rules", "Parking", "ExportFormats",
                "APIContract",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Dashboard"), .copy("openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "microanpr",
            dependencies: [
                "Recognition", "Plates", "Vision", "Core", "Server", "Storage", "Media", "Tracking", "Edge", "Parking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "PlatesTests", dependencies: ["Plates"], swiftSettings: swiftSettings),
        .testTarget(name: "TrackingTests", dependencies: ["Tracking"], swiftSettings: swiftSettings),
        .testTarget(name: "ExportFormatsTests", dependencies: ["ExportFormats"], swiftSettings: swiftSettings),
        .testTarget(name: "RulesTests", dependencies: ["Rules"], swiftSettings: swiftSettings),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RecognitionTests", dependencies: ["Recognition", "Plates", "Vision", "TestSupport", "Tracking"], swiftSettings: swiftSettings),
        .testTarget(name: "ParkingTests", dependencies: ["Parking"], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Core", "Server", "Plates", "ExportFormats", "Storage", "Media", "Recognition", "Vision", "TestSupport", "Edge", "Tracking",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

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
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
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
                .linkedLibrary("dl"),
            ]
        ),
        .target(name: "Vision", dependencies: ["CVision"], swiftSettings: swiftSettings),
        .target(name: "Plates", swiftSettings: swiftSettings),
        .target(name: "Recognition", dependencies: ["Vision", "Plates"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "microanpr",
            dependencies: [
                "Recognition", "Plates", "Vision",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "PlatesTests", dependencies: ["Plates"], swiftSettings: swiftSettings),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "RecognitionTests", dependencies: ["Recognition", "Plates", "Vision", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

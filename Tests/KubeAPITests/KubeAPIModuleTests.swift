import Testing
@testable import KubeAPI

@Suite struct KubeAPIModuleTests {
    @Test func moduleLinks() { _ = KubeAPI.self }
}

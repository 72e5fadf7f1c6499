import Testing
@testable import Simulator

@Suite struct SimulatorModuleTests {
    @Test func moduleLinks() { _ = Simulator.self }
}

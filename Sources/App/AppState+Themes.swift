import DashboardUI
import TerminalUI

/// The `T` picker: the built-in themes and the user's own, applied at once.
extension AppState {
    /// The themes to choose from, the current one checked.
    func themePicker() -> Picker {
        let names = Theme.availableNames(environment: themeEnvironment)
        return Picker(
            purpose: .themes, title: "Theme", items: names, checked: [theme.name],
            selected: names.firstIndex(of: theme.name) ?? 0)
    }

    /// Draws with the theme `name` from now on; a theme that cannot be read leaves the current one and says why.
    mutating func chooseTheme(_ name: String) {
        var warnings: [String] = []
        do {
            theme = try Theme.named(name, environment: themeEnvironment, warnings: &warnings)
            themeNotice = Theme.summary(of: warnings)
        } catch {
            themeNotice = Theme.summary(of: warnings + ["\(error) (the theme stays \(theme.name))"])
        }
    }
}

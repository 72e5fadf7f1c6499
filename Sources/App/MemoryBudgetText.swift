import KubeglassCore
import Store

/// The status line when `--memory-budget` cuts history.
enum MemoryBudgetText {
    static func cutting(budget: Int, check: SeriesStore.BudgetCheck, cut: Timestamp, now: Timestamp) -> String {
        "memory budget \(size(budget)): history kept back \(DurationText.text(milliseconds: max(0, now - cut) / Milliseconds.minute * Milliseconds.minute)) only"
            + " (store \(size(check.before)) → \(size(check.after)))"
    }

    /// Bytes as MB or GB, in the units the flag takes.
    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 30
            ? "\((Double(bytes) / Double(1 << 30) * 10).rounded() / 10) GB" : "\((bytes + (1 << 19)) >> 20) MB"
    }
}

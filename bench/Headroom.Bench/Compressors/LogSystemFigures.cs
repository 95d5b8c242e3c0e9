using Headroom.Bench.Compressors.Oracles;

namespace Headroom.Bench.Compressors;

/// <summary>One loghub system held out: savings against the one-line-per-template oracle and what survived.</summary>
internal sealed record LogSystemFigures(
    string System, long TokensBefore, long TokensAfterProduction, long TokensAfterUnlimited, double CpuMs, int Templates, int AlertLines, double OracleSaved, double SavedProduction, double SavedUnlimited, bool TimedOut,
    Retained AlertMessages, Retained RareAlertLines, Retained Identifiers, Retained AlertMessagesUnlimited, Retained RareAlertLinesUnlimited, Retained IdentifiersUnlimited)
{
    /// <summary>Saved and alert retention (unlimited budget) at the miner settings chosen on the other twelve systems, and those settings.</summary>
    public (double Saved, string Settings, Retained Alerts) HeldOut { get; init; }

    public double Gap => OracleSaved - SavedProduction;

    /// <summary>The target at 50 ms: within 3 points of the oracle, and never below 90% where the oracle is above 92%.</summary>
    public bool MeetsSavingTarget => Meets(SavedProduction);

    public bool MeetsSavingTargetUnlimited => Meets(SavedUnlimited);

    private bool Meets(double saved) => OracleSaved - saved <= 3 && (OracleSaved <= 92 || saved >= 90);
}

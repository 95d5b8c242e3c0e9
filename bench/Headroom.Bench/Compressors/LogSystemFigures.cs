using Headroom.Bench.Compressors.Oracles;

namespace Headroom.Bench.Compressors;

/// <summary>One loghub system held out: savings against the one-line-per-template oracle and what survived.</summary>
internal sealed record LogSystemFigures(
    string System, long TokensBefore, long TokensAfterProduction, long TokensAfterUnlimited, double CpuMs, int Templates, int AlertLines, double OracleSaved, double SavedProduction, double SavedUnlimited, bool TimedOut,
    Retained AlertMessages, Retained RareAlertLines, Retained Identifiers, Retained AlertMessagesUnlimited, Retained RareAlertLinesUnlimited)
{
    public double Gap => OracleSaved - SavedProduction;

    /// <summary>The target: within 3 points of the oracle, and never below 90% where the oracle is above 92%.</summary>
    public bool MeetsSavingTarget => Gap <= 3 && (OracleSaved <= 92 || SavedProduction >= 90);
}

using AngleSharp.Dom;

namespace Headroom.Compressors.Html;

/// <summary>
/// Content scores of candidate containers: raw sums while scoring, then scaled by (1 − link density)
/// on first read. Scaling is lazy because measuring link density walks the candidate's whole subtree,
/// and only the top candidates, their ancestors and their siblings are ever read.
/// </summary>
internal sealed class CandidateScores
{
    private readonly Dictionary<IElement, double> _raw = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<IElement, double> _scaled = new(ReferenceEqualityComparer.Instance);
    private readonly List<IElement> _order = [];

    /// <summary>Candidates in the order they were first scored (document order of their first paragraph).</summary>
    public IReadOnlyList<IElement> Candidates => _order;

    public bool Contains(IElement el) => _raw.ContainsKey(el);

    public void Add(IElement el, double initial, double delta)
    {
        if (_raw.TryGetValue(el, out double score))
        {
            _raw[el] = score + delta;
            return;
        }

        _raw[el] = initial + delta;
        _order.Add(el);
    }

    public double Raw(IElement el) => _raw[el];

    public bool TryGet(IElement el, out double scaled)
    {
        if (_scaled.TryGetValue(el, out scaled))
        {
            return true;
        }

        if (!_raw.TryGetValue(el, out double raw))
        {
            return false;
        }

        scaled = raw * (1 - TextMeasure.Of(el).LinkDensity);
        _scaled[el] = scaled;
        return true;
    }

    public double GetOrDefault(IElement el) => TryGet(el, out double s) ? s : 0;

    /// <summary>The five best scaled scores, ties to the earlier candidate, without scaling candidates that cannot make it.</summary>
    public List<(IElement El, double Score)> Top5()
    {
        var byRaw = new int[_order.Count];
        for (int i = 0; i < byRaw.Length; i++)
        {
            byRaw[i] = i;
        }

        Array.Sort(byRaw, (a, b) =>
        {
            int c = _raw[_order[b]].CompareTo(_raw[_order[a]]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var top = new List<(int Index, double Score)>(6);
        foreach (int index in byRaw)
        {
            // Scaling never raises a score above max(raw, 0): once that bound is below the fifth best, stop.
            double bound = Math.Max(_raw[_order[index]], 0);
            if (top.Count == 5 && bound < top[4].Score)
            {
                break;
            }

            TryGet(_order[index], out double s);
            int pos = top.Count;
            while (pos > 0 && (top[pos - 1].Score < s || (top[pos - 1].Score == s && top[pos - 1].Index > index)))
            {
                pos--;
            }

            if (pos < 5)
            {
                top.Insert(pos, (index, s));
                if (top.Count > 5)
                {
                    top.RemoveAt(5);
                }
            }
        }

        return top.ConvertAll(t => (_order[t.Index], t.Score));
    }
}

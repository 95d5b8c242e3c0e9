namespace Headroom.Media.Keyframes;

/// <summary>
/// Pure keyframe selection over a stream of 32×32 thumbnails (no I/O):
/// 1. the first frame is kept;
/// 2. a scene cut is a frame-to-frame difference above a threshold and well above the recent mean
///    (adaptive, in the manner of PySceneDetect's AdaptiveDetector, so a steady pan is not a cut);
/// 3. gradual change is a large difference or pHash distance from the reference (last kept) frame;
/// 4. a candidate that duplicates any kept frame (close pHash and close pixels) is dropped and that frame
///    becomes the reference again (A-B-A cuts and near-duplicate stretches cost nothing);
/// 5. candidates closer than the minimum interval wait: if the change persists, the first frame past the
///    interval is kept;
/// 6. over the cap, the first frame and the strongest changes survive.
/// </summary>
internal sealed class SceneAnalyzer
{
    private readonly KeyframeOptions _options;
    private readonly int _windowLength;
    private readonly Queue<double> _recentDifferences = new();
    private readonly List<Kept> _kept = [];
    private readonly List<double> _cuts = [];
    private byte[]? _previous;
    private double _recentSum;
    private Kept? _reference;
    private double _lastKeptTime = double.NegativeInfinity;
    private (KeyframeReason Reason, double Score)? _pending;
    private int _count;

    public SceneAnalyzer(KeyframeOptions options, double analysisFps)
    {
        _options = options;
        _windowLength = Math.Max(2, (int)Math.Round(analysisFps));
    }

    /// <summary>Timestamps (seconds) where a hard cut was detected, duplicates included.</summary>
    public IReadOnlyList<double> Cuts => _cuts;

    public int FramesAnalyzed => _count;

    public void Push(double timestampSeconds, ReadOnlySpan<byte> thumbnail)
    {
        var index = _count++;
        var hash = PerceptualHash.Compute(thumbnail);
        if (_previous is null)
        {
            Keep(index, timestampSeconds, thumbnail, hash, KeyframeReason.First, double.MaxValue);
            _previous = thumbnail.ToArray();
            return;
        }

        // 2. Cut detection against the previous frame and the recent mean.
        var difference = Thumbnail.Difference(_previous, thumbnail);
        var mean = _recentDifferences.Count == 0 ? 0 : _recentSum / _recentDifferences.Count;
        var isCut = difference >= _options.SceneCutThreshold && difference >= _options.SceneCutAdaptiveRatio * mean;
        if (isCut)
        {
            _cuts.Add(timestampSeconds);
        }

        _recentDifferences.Enqueue(difference);
        _recentSum += difference;
        if (_recentDifferences.Count > _windowLength)
        {
            _recentSum -= _recentDifferences.Dequeue();
        }

        thumbnail.CopyTo(_previous);

        // 3. Gradual change against the reference frame. A shifted view (pan, head movement) is compared
        //    after the best alignment, so only a large share of new content counts. pHash bits of flat or
        //    one-directional pictures (bars, walls) flip on noise, so a hash change only counts when the
        //    pixels changed too.
        var reference = _reference!;
        var drift = Thumbnail.Difference(reference.Thumbnail, thumbnail);
        var changed = false;
        if (drift >= _options.ContentChangeThreshold * 2 / 3)
        {
            var aligned = Thumbnail.AlignedDifference(reference.Thumbnail, thumbnail, _options.MaxAlignmentShift);
            var hashDrift = PerceptualHash.Distance(reference.Hash, hash);
            changed = aligned >= _options.ContentChangeThreshold * 2 / 3
                && (drift >= _options.ContentChangeThreshold || hashDrift >= _options.ContentChangeHashDistance);
        }

        if (isCut)
        {
            _pending = (KeyframeReason.SceneCut, 1 + difference);
        }
        else if (changed && _pending is null)
        {
            _pending = (KeyframeReason.ContentChange, drift);
        }

        if (_pending is not { } pending)
        {
            return;
        }

        // 4. Back to something already kept (or never really left): no new frame.
        if (IsDuplicate(reference, thumbnail, hash))
        {
            _pending = null;
            return;
        }

        foreach (var kept in _kept)
        {
            if (IsDuplicate(kept, thumbnail, hash))
            {
                _reference = kept;
                _pending = null;
                return;
            }
        }

        // 5. Minimum interval: wait, the change is re-checked on the next frames.
        if (timestampSeconds - _lastKeptTime + 1e-9 < _options.MinIntervalSeconds)
        {
            return;
        }

        Keep(index, timestampSeconds, thumbnail, hash, pending.Reason, pending.Score);
    }

    /// <summary>The kept frames in time order, trimmed to the cap.</summary>
    public IReadOnlyList<SelectedFrame> Complete()
    {
        var selected = _kept.Select(k => k.Frame).ToList();
        var max = Math.Max(1, _options.MaxFrames);
        if (selected.Count <= max)
        {
            return selected;
        }

        // 6. First frame plus the strongest changes, back in time order.
        return selected
            .Take(1)
            .Concat(selected.Skip(1).OrderByDescending(f => f.Score).ThenBy(f => f.TimestampSeconds).Take(max - 1))
            .OrderBy(f => f.TimestampSeconds)
            .ToList();
    }

    /// <summary>Close in pixels and in structure; nearly identical pixels suffice (their hash bits may be noise).</summary>
    private bool IsDuplicate(Kept kept, ReadOnlySpan<byte> thumbnail, ulong hash)
    {
        var difference = Thumbnail.Difference(kept.Thumbnail, thumbnail);
        return difference <= _options.DuplicateMaxDifference / 2
            || (difference <= _options.DuplicateMaxDifference && PerceptualHash.Distance(kept.Hash, hash) <= _options.DuplicateHashDistance);
    }

    private void Keep(int index, double timestamp, ReadOnlySpan<byte> thumbnail, ulong hash, KeyframeReason reason, double score)
    {
        var kept = new Kept(new SelectedFrame(index, timestamp, reason, score), thumbnail.ToArray(), hash);
        _kept.Add(kept);
        _reference = kept;
        _lastKeptTime = timestamp;
        _pending = null;
    }

    private sealed record Kept(SelectedFrame Frame, byte[] Thumbnail, ulong Hash);
}

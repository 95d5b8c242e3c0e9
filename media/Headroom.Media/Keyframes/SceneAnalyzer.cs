namespace Headroom.Media.Keyframes;

/// <summary>
/// Pure keyframe selection over a stream of 32×32 thumbnails (no I/O), under a frame budget:
/// 1. scenes: a hard cut (a frame-to-frame difference above a threshold and well above the recent mean, in
///    the manner of PySceneDetect's AdaptiveDetector) or a gradual change that settles (a fade or a camera
///    move that ends on a steady picture far from the scene's anchor) starts a new scene; continuous motion
///    (a zoom, a pan, a busy machine) never does, so it cannot mint frames;
/// 2. each scene offers its steadiest frame (least motion, nearest the middle) and, when the scene moved
///    far from it (a pan, a zoom), the frame farthest from it as a second one;
/// 3. a scene whose representative duplicates an earlier kept frame (A-B-A cuts) offers nothing;
/// 4. the budget is <see cref="KeyframeOptions.FramesPerMinute"/> for every started minute (at least one, at
///    most <see cref="KeyframeOptions.MaxFrames"/>): every scene's representative first, ranked by distinctness
///    (farthest from what is already kept), then second frames by how far they are from their scene's first.
/// </summary>
internal sealed class SceneAnalyzer
{
    private readonly KeyframeOptions _options;
    private readonly double _fps;
    private readonly int _windowLength;
    private readonly int _steadyLength;
    private readonly Queue<double> _recentDifferences = new();
    private readonly List<Frame> _frames = [];
    private readonly List<int> _sceneStarts = [];
    private readonly List<double> _cuts = [];
    private double _recentSum;
    private int _anchor;
    private int _steadyRun;

    public SceneAnalyzer(KeyframeOptions options, double analysisFps)
    {
        _options = options;
        _fps = analysisFps;
        _windowLength = Math.Max(2, (int)Math.Round(analysisFps));
        _steadyLength = Math.Max(2, (int)Math.Round(analysisFps * options.SteadySeconds));
    }

    /// <summary>Timestamps (seconds) where a hard cut was detected, duplicates included.</summary>
    public IReadOnlyList<double> Cuts => _cuts;

    /// <summary>Timestamps (seconds) where each scene starts (the first at 0).</summary>
    public IEnumerable<double> SceneStarts => _sceneStarts.Select(i => _frames[i].Timestamp);

    public int FramesAnalyzed => _frames.Count;

    public void Push(double timestampSeconds, ReadOnlySpan<byte> thumbnail)
    {
        var index = _frames.Count;
        var frame = new Frame(timestampSeconds, thumbnail.ToArray(), PerceptualHash.Compute(thumbnail));
        if (index == 0)
        {
            _frames.Add(frame);
            _sceneStarts.Add(0);
            return;
        }

        // 1a. Hard cut against the previous frame and the recent mean. Without a second of history there is
        //     no mean to compare with (the first frames of a zoom would all look like cuts); a cut that early
        //     is still found by 1b once the new picture holds still.
        var previous = _frames[index - 1];
        frame.Motion = Thumbnail.Difference(previous.Thumbnail, thumbnail);
        var mean = _recentDifferences.Count == 0 ? 0 : _recentSum / _recentDifferences.Count;
        var isCut = _recentDifferences.Count >= _windowLength / 2
            && frame.Motion >= _options.SceneCutThreshold
            && frame.Motion >= _options.SceneCutAdaptiveRatio * mean;
        _recentDifferences.Enqueue(frame.Motion);
        _recentSum += frame.Motion;
        if (_recentDifferences.Count > _windowLength)
        {
            _recentSum -= _recentDifferences.Dequeue();
        }

        _frames.Add(frame);
        if (isCut)
        {
            _cuts.Add(timestampSeconds);
            StartScene(index);
            return;
        }

        // 1b. A gradual change that settled: still for a while (little change from frame to frame and across
        //     the whole stretch, so a slow pan is not still), and far from the scene's anchor.
        _steadyRun = frame.Motion <= _options.SteadyMaxDifference ? _steadyRun + 1 : 0;
        if (_steadyRun >= _steadyLength)
        {
            var settledAt = index - _steadyLength + 1;
            var settled = _frames[settledAt];
            if (Thumbnail.Difference(settled.Thumbnail, thumbnail) <= _options.SteadyMaxDifference && IsSettledChange(_frames[_anchor], settled))
            {
                StartScene(settledAt);
            }
        }
    }

    /// <summary>The kept frames in time order, within the budget.</summary>
    public IReadOnlyList<SelectedFrame> Complete()
    {
        if (_frames.Count == 0)
        {
            return [];
        }

        var budget = Budget();

        // 2. What each scene offers.
        var offers = new List<(int Scene, int Representative, int? Second, double SecondDistance)>();
        for (var s = 0; s < _sceneStarts.Count; s++)
        {
            var start = _sceneStarts[s];
            var end = s + 1 < _sceneStarts.Count ? _sceneStarts[s + 1] : _frames.Count;
            var representative = Steadiest(start, end);
            int? second = null;
            double secondDistance = 0;
            for (var i = start; i < end; i++)
            {
                if (Math.Abs(_frames[i].Timestamp - _frames[representative].Timestamp) + 1e-9 < _options.MinIntervalSeconds)
                {
                    continue;
                }

                var d = Thumbnail.Difference(_frames[representative].Thumbnail, _frames[i].Thumbnail);
                if (d > secondDistance && IsNewContent(_frames[representative], _frames[i]))
                {
                    secondDistance = d;
                    second = i;
                }
            }

            offers.Add((s, representative, second, secondDistance));
        }

        // 3 + 4a. Representatives, most distinct first; duplicates of a kept frame are dropped.
        var kept = new List<SelectedFrame>();
        var keptFrames = new List<Frame>();
        var remaining = offers.ToList();
        while (remaining.Count > 0 && kept.Count < budget)
        {
            var bestIndex = -1;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < remaining.Count; i++)
            {
                var candidate = _frames[remaining[i].Representative];
                var score = keptFrames.Count == 0 ? -remaining[i].Scene : keptFrames.Min(k => Thumbnail.Difference(k.Thumbnail, candidate.Thumbnail));
                if (score > bestScore)
                {
                    bestScore = score;
                    bestIndex = i;
                }
            }

            var offer = remaining[bestIndex];
            remaining.RemoveAt(bestIndex);
            var frame = _frames[offer.Representative];
            if (keptFrames.Exists(k => IsDuplicate(k, frame)))
            {
                continue;
            }

            kept.Add(new SelectedFrame(offer.Representative, frame.Timestamp, offer.Scene == 0 ? KeyframeReason.First : KeyframeReason.SceneCut, 1 + bestScore));
            keptFrames.Add(frame);
        }

        // 4b. Second frames of scenes that moved, farthest first.
        var keptScenes = kept.Select(k => SceneOf(k.AnalysisIndex)).ToHashSet();
        foreach (var offer in offers.Where(o => o.Second is not null && keptScenes.Contains(o.Scene)).OrderByDescending(o => o.SecondDistance))
        {
            if (kept.Count >= budget)
            {
                break;
            }

            var frame = _frames[offer.Second!.Value];
            if (keptFrames.Exists(k => IsDuplicate(k, frame)))
            {
                continue;
            }

            kept.Add(new SelectedFrame(offer.Second.Value, frame.Timestamp, KeyframeReason.ContentChange, offer.SecondDistance));
            keptFrames.Add(frame);
        }

        kept.Sort(static (a, b) => a.TimestampSeconds.CompareTo(b.TimestampSeconds));
        return kept;
    }

    /// <summary>Frames allowed for this duration: the per-minute cap for every started minute, at most the hard cap.</summary>
    internal int Budget()
    {
        var minutes = Math.Max(1, (int)Math.Ceiling((_frames.Count / _fps / 60) - 1e-9));
        var frames = (int)Math.Floor((minutes * _options.FramesPerMinute) + 1e-9);
        return Math.Clamp(frames, 1, Math.Max(1, _options.MaxFrames));
    }

    private void StartScene(int index)
    {
        _sceneStarts.Add(index);
        _anchor = index;
        _steadyRun = 0;
    }

    private int SceneOf(int frameIndex)
    {
        var scene = 0;
        for (var s = 0; s < _sceneStarts.Count && _sceneStarts[s] <= frameIndex; s++)
        {
            scene = s;
        }

        return scene;
    }

    /// <summary>Least local motion; among equals, the one nearest the middle of the scene.</summary>
    private int Steadiest(int start, int end)
    {
        var middle = (start + end - 1) / 2.0;
        var best = start;
        var bestScore = double.MaxValue;
        for (var i = start; i < end; i++)
        {
            // The motion into and out of the frame, ignoring the cut that opened the scene.
            var into = i > start ? _frames[i].Motion : 0;
            var outOf = i + 1 < end ? _frames[i + 1].Motion : into;
            var motion = i > start ? (into + outOf) / 2 : outOf;
            var score = Math.Round(motion / _options.SteadyMaxDifference, 1) + (Math.Abs(i - middle) / Math.Max(1, end - start) * 0.01);
            if (score < bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// A still picture that is another picture than the anchor: far in pixels and in structure, or in pixels
    /// even after the best alignment. (Smooth pictures align under some shift; a still one is judged as a whole.)
    /// </summary>
    private bool IsSettledChange(Frame anchor, Frame settled)
    {
        var drift = Thumbnail.Difference(anchor.Thumbnail, settled.Thumbnail);
        return drift >= _options.ContentChangeThreshold
            && (PerceptualHash.Distance(anchor.Hash, settled.Hash) >= _options.ContentChangeHashDistance || IsNewContent(anchor, settled));
    }

    /// <summary>
    /// Far apart even after the best alignment (a shifted view is the same content); pHash bits of flat or
    /// one-directional pictures flip on noise, so a hash change only counts when the pixels changed too.
    /// </summary>
    private bool IsNewContent(Frame reference, Frame candidate)
    {
        var drift = Thumbnail.Difference(reference.Thumbnail, candidate.Thumbnail);
        if (drift < _options.ContentChangeThreshold * 2 / 3)
        {
            return false;
        }

        var aligned = Thumbnail.AlignedDifference(reference.Thumbnail, candidate.Thumbnail, _options.MaxAlignmentShift);
        var hashDrift = PerceptualHash.Distance(reference.Hash, candidate.Hash);
        return aligned >= _options.ContentChangeThreshold * 2 / 3
            && (drift >= _options.ContentChangeThreshold || hashDrift >= _options.ContentChangeHashDistance);
    }

    /// <summary>Close in pixels and in structure; nearly identical pixels suffice (their hash bits may be noise).</summary>
    private bool IsDuplicate(Frame kept, Frame candidate)
    {
        var difference = Thumbnail.Difference(kept.Thumbnail, candidate.Thumbnail);
        return difference <= _options.DuplicateMaxDifference / 2
            || (difference <= _options.DuplicateMaxDifference && PerceptualHash.Distance(kept.Hash, candidate.Hash) <= _options.DuplicateHashDistance);
    }

    private sealed class Frame(double timestamp, byte[] thumbnail, ulong hash)
    {
        public double Timestamp { get; } = timestamp;

        public byte[] Thumbnail { get; } = thumbnail;

        public ulong Hash { get; } = hash;

        /// <summary>Difference from the frame before (0 for the first).</summary>
        public double Motion { get; set; }
    }
}

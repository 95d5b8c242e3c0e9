using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Media;

/// <summary>
/// The media work of one <c>/media/*</c> request, after its upload has been read: a slot of the
/// <see cref="MediaWorkLimiter"/> (waiting up to <c>QueueSeconds</c>) and the request's time budget
/// (<c>RequestTimeoutSeconds</c>), whose token cancels the work and kills its ffmpeg when spent.
/// </summary>
internal sealed class MediaJob : IDisposable
{
    private readonly HttpContext _context;
    private readonly MediaSettings _settings;
    private MediaWorkSlot? _slot;
    private CancellationTokenSource? _budget;
    private CancellationTokenSource? _linked;
    private Task _held = Task.CompletedTask;

    public MediaJob(HttpContext context, MediaSettings settings)
    {
        _context = context;
        _settings = settings;
    }

    public double BudgetSeconds => _settings.RequestTimeoutSeconds > 0 ? _settings.RequestTimeoutSeconds : new MediaSettings().RequestTimeoutSeconds;

    /// <summary>Cancelled when the client goes away or the budget is spent.</summary>
    public CancellationToken Token => _linked?.Token ?? _context.RequestAborted;

    public bool BudgetSpent => _budget?.IsCancellationRequested == true && !_context.RequestAborted.IsCancellationRequested;

    /// <summary>Takes a slot and starts the budget; false when none freed up in time (429 already written).</summary>
    public async Task<bool> StartAsync()
    {
        var limiter = _context.RequestServices.GetService(typeof(MediaWorkLimiter)) as MediaWorkLimiter
            ?? throw new InvalidOperationException("MediaWorkLimiter is not registered (AddLiveZone registers it).");
        _slot = await limiter.TryEnterAsync(TimeSpan.FromSeconds(Math.Max(0, _settings.QueueSeconds)), _context.RequestAborted).ConfigureAwait(false);
        if (_slot is null)
        {
            _context.Response.Headers.RetryAfter = "5";
            await MediaEndpoints.WriteErrorAsync(
                _context,
                StatusCodes.Status429TooManyRequests,
                "rate_limit_error",
                $"{limiter.Capacity} media jobs are already running (Headroom:Media:MaxConcurrent); retry in a few seconds.").ConfigureAwait(false);
            return false;
        }

        _budget = new CancellationTokenSource(TimeSpan.FromSeconds(BudgetSeconds));
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_context.RequestAborted, _budget.Token);
        return true;
    }

    /// <summary>Keeps the slot taken until <paramref name="work"/> ends (a decode abandoned at its time budget).</summary>
    public void Hold(Task work) => _held = work;

    public void Dispose()
    {
        _slot?.ReleaseAfter(_held);
        _linked?.Dispose();
        _budget?.Dispose();
    }
}

using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Tests.Telemetry;

/// <summary>Commands recorded in provenance lose what looks like a credential, and keep the rest.</summary>
public sealed class CredentialScrubberTests
{
    [Theory]
    [InlineData("curl -H 'x-api-key: sk-ant-api03-AbCdEf0123456789xyz' https://api.anthropic.com", "sk-ant-api03-AbCdEf0123456789xyz")]
    [InlineData("curl -H \"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig\" https://x", "eyJhbGciOiJIUzI1NiJ9.payload.sig")]
    [InlineData("mysql -u root --password=hunter2secret -h db", "hunter2secret")]
    [InlineData("psql postgres://admin:Sup3rS3cret@db.internal:5432/app", "Sup3rS3cret")]
    [InlineData("deploy --token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("aws s3 ls # AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("wget 'https://example.com/feed?api_key=abc123def456&page=2'", "abc123def456")]
    // Upper case and a non-ASCII letter the case-insensitive patterns fold (KELVIN SIGN ~ k): the scrubber's
    // quick "no literal, nothing to scrub" check must not skip these.
    [InlineData("mysql -u root --PASSWORD=hunter2xyz -h db", "hunter2xyz")]
    [InlineData("curl -H 'AUTHORIZATION: BEARER eyJhbGciOiJIUzI1NiJ9.payload.sig' x", "eyJhbGciOiJIUzI1NiJ9.payload.sig")]
    [InlineData("deploy --to\u212Aen=hunter2xyz", "hunter2xyz")]
    public void Scrub_RemovesTheCredential_AndSaysSo(string command, string secret)
    {
        var scrubbed = CredentialScrubber.Scrub(command)!;

        Assert.DoesNotContain(secret, scrubbed, StringComparison.Ordinal);
        Assert.Contains(CredentialScrubber.Redacted, scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cat /var/log/nova/nova-compute.log")]
    [InlineData("grep -rn 'password' src/")]
    [InlineData("kubectl get pods -n payments --sort-by=.metadata.creationTimestamp")]
    public void Scrub_LeavesOrdinaryCommandsAlone(string command) =>
        Assert.Equal(command, CredentialScrubber.Scrub(command));
}

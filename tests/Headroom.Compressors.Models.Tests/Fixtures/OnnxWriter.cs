using System.Text;

namespace Headroom.Compressors.Models.Tests.Fixtures;

/// <summary>
/// Just enough protobuf to write an ONNX ModelProto by hand (field numbers from onnx/onnx.proto):
/// nodes, initializers, typed graph inputs and outputs, one opset import.
/// </summary>
internal sealed class OnnxWriter
{
    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    public OnnxWriter Varint(int field, long value)
    {
        Tag(field, 0);
        WriteVarint((ulong)value);
        return this;
    }

    public OnnxWriter Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, 2);
        WriteVarint((ulong)bytes.Length);
        _buffer.Write(bytes);
        return this;
    }

    public OnnxWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public OnnxWriter Message(int field, Action<OnnxWriter> build)
    {
        var inner = new OnnxWriter();
        build(inner);
        return Bytes(field, inner.ToArray());
    }

    private void Tag(int field, int wire) => WriteVarint((ulong)((field << 3) | wire));

    private void WriteVarint(ulong v)
    {
        while (v >= 0x80)
        {
            _buffer.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }

        _buffer.WriteByte((byte)v);
    }

    // ONNX message helpers. TensorProto.DataType: FLOAT = 1, INT64 = 7.
    public const int Float = 1;
    public const int Int64 = 7;

    public static Action<OnnxWriter> Node(string op, string[] inputs, string[] outputs, string name, (string Name, long Value)? intAttribute = null) => n =>
    {
        foreach (var i in inputs)
        {
            n.String(1, i);
        }

        foreach (var o in outputs)
        {
            n.String(2, o);
        }

        n.String(3, name).String(4, op);
        if (intAttribute is { } a)
        {
            n.Message(5, at => at.String(1, a.Name).Varint(3, a.Value).Varint(20, 2)); // AttributeProto.type INT = 2
        }
    };

    public static Action<OnnxWriter> Tensor(string name, int dataType, long[] dims, byte[] raw) => t =>
    {
        foreach (var d in dims)
        {
            t.Varint(1, d);
        }

        t.Varint(2, dataType).String(8, name).Bytes(9, raw);
    };

    /// <summary>ValueInfoProto with a tensor type; a dimension is a number or a symbolic name.</summary>
    public static Action<OnnxWriter> Value(string name, int elemType, params object[] dims) => v => v
        .String(1, name)
        .Message(2, type => type.Message(1, tensor => tensor
            .Varint(1, elemType)
            .Message(2, shape =>
            {
                foreach (var d in dims)
                {
                    shape.Message(1, dim =>
                    {
                        if (d is string symbol)
                        {
                            dim.String(2, symbol);
                        }
                        else
                        {
                            dim.Varint(1, Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture));
                        }
                    });
                }
            })));
}

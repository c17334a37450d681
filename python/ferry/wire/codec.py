"""Encoding and decoding Ferry's records: the Confluent wire format over python avro.

Records are dicts with the Avro field names. Writing fills in the defaults of fields left out (so a
newer schema with added fields still takes an older dict) and picks a union's record branch by the
dict's ``_type`` key when it has one."""

import io
import struct

import avro.io
import avro.schema

MAGIC = 0


class DecodeError(ValueError):
    pass


def conform(schema, datum):
    """``datum`` made to fit ``schema``: defaults filled in, ``_type`` hints resolved."""
    kind = schema.type
    if kind == "record":
        if not isinstance(datum, dict):
            raise ValueError("%s expects a dict, got %r" % (schema.fullname, type(datum).__name__))
        out = {}
        for field in schema.fields:
            if field.name in datum:
                out[field.name] = conform(field.type, datum[field.name])
            elif field.has_default:
                out[field.name] = _default(field.type, field.default)
            else:
                raise ValueError("%s.%s is required" % (schema.fullname, field.name))
        return out
    if kind == "union":
        if datum is None:
            return None
        branches = [b for b in schema.schemas if b.type != "null"]
        wanted = datum.get("_type") if isinstance(datum, dict) else None
        if wanted is not None:
            for branch in branches:
                if getattr(branch, "name", None) == wanted:
                    return conform(branch, datum)
            raise ValueError("no union branch named %s in %s" % (wanted, [getattr(b, "name", b.type) for b in branches]))
        if len(branches) == 1:
            return conform(branches[0], datum)
        for branch in branches:
            try:
                candidate = conform(branch, datum)
            except (ValueError, TypeError):
                continue
            if avro.io.validate(branch, candidate):
                return candidate
        raise ValueError("%r fits no branch of %s" % (datum, [getattr(b, "name", b.type) for b in branches]))
    if kind == "array":
        return [conform(schema.items, item) for item in datum]
    if kind == "map":
        return {k: conform(schema.values, v) for k, v in datum.items()}
    return datum


def _default(schema, default):
    if schema.type == "union":
        first = schema.schemas[0]
        return None if first.type == "null" else _default(first, default)
    if schema.type == "record":
        return conform(schema, default or {})
    return default


def encode(schema_id, schema, datum):
    """The wire-format bytes of ``datum`` written with ``schema`` (registered as ``schema_id``)."""
    buffer = io.BytesIO()
    buffer.write(struct.pack(">bI", MAGIC, schema_id))
    avro.io.DatumWriter(schema).write(conform(schema, datum), avro.io.BinaryEncoder(buffer))
    return buffer.getvalue()


def decode(registry, data, reader_schema=None):
    """The record in ``data``, read with the writer's schema from the registry."""
    if data is None or len(data) < 5:
        raise DecodeError("not a wire-format record: %r bytes" % (None if data is None else len(data)))
    magic, schema_id = struct.unpack(">bI", data[:5])
    if magic != MAGIC:
        raise DecodeError("unknown magic byte %d" % magic)
    writer = registry.schema(schema_id)
    reader = avro.io.DatumReader(writer, reader_schema or writer)
    try:
        return reader.read(avro.io.BinaryDecoder(io.BytesIO(data[5:])))
    except Exception as e:  # truncated or garbage bytes
        raise DecodeError("cannot read the record with schema %d: %s" % (schema_id, e)) from None

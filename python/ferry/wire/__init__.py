"""Ferry's records on Kafka from Python: Avro in the Confluent wire format (byte 0, the schema id as
4 big-endian bytes, then the Avro binary), with schemas from the schema registry."""

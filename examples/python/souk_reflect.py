#!/usr/bin/python3
"""Explore and call a running soukd through gRPC server reflection, the way grpcurl does.

Nothing of Souk's API is compiled in: the services, methods and messages are read from the
server (server.reflection: true, the default), and requests and answers are JSON in protobuf's
mapping, field names as in proto/souk/v1. Generate the reflection protocol's stubs first
(examples/python/generate_stubs.sh), then:

  souk_reflect.py [--server 127.0.0.1:50051] [--api-key KEY] list
  souk_reflect.py list souk.v1.SearchService                 # its methods
  souk_reflect.py describe souk.v1.SearchRequest             # a message's fields
  souk_reflect.py call souk.v1.SearchService/Search -d '{"query": "drill", "page_size": 3}'

docs/api.md walks through it. Needs Debian's python3-grpcio and python3-protobuf.
"""

import argparse
import os
import sys

sys.path.insert(0, os.environ.get("SOUK_PY_STUBS",
                                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen")))

import grpc  # noqa: E402
from google.protobuf import descriptor, descriptor_pb2, descriptor_pool  # noqa: E402
from google.protobuf import json_format, message_factory  # noqa: E402
import reflection_pb2  # noqa: E402
import reflection_pb2_grpc  # noqa: E402

TIMEOUT_S = 10


class Reflection:
    """The server's schema, fetched file by file as symbols are asked for."""

    def __init__(self, channel, metadata):
        self.stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        self.metadata = metadata
        self.pool = descriptor_pool.DescriptorPool()
        self.added = set()

    def ask(self, **request):
        stream = self.stub.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(**request)]), metadata=self.metadata,
            timeout=TIMEOUT_S)
        response = next(stream)
        if response.HasField("error_response"):
            asked = next(iter(request.values())) or "services"
            raise LookupError(f"{asked}: {response.error_response.error_message}")
        return response

    def services(self):
        return sorted(s.name for s in self.ask(list_services="").list_services_response.service)

    def load(self, symbol):
        """Adds the file defining `symbol` and the files it imports to the pool."""
        files = {}
        for raw in self.ask(file_containing_symbol=symbol).file_descriptor_response \
                .file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
            files[proto.name] = proto

        def add(name):  # imports first
            if name in self.added or name not in files:
                return
            for dependency in files[name].dependency:
                add(dependency)
            self.pool.Add(files[name])
            self.added.add(name)

        for name in files:
            add(name)

    def service(self, name):
        self.load(name)
        return self.pool.FindServiceByName(name)

    def message(self, name):
        self.load(name)
        return self.pool.FindMessageTypeByName(name)

    def message_class(self, message_descriptor):
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(message_descriptor)
        return message_factory.MessageFactory(self.pool).GetPrototype(message_descriptor)


def type_name(field):
    if field.type == descriptor.FieldDescriptor.TYPE_MESSAGE:
        return "." + field.message_type.full_name
    if field.type == descriptor.FieldDescriptor.TYPE_ENUM:
        return "." + field.enum_type.full_name
    names = {v: k[len("TYPE_"):].lower() for k, v in vars(descriptor.FieldDescriptor).items()
             if k.startswith("TYPE_")}
    return names[field.type]


def list_command(reflection, args):
    if not args.symbol:
        print("\n".join(reflection.services()))
        return
    for method in reflection.service(args.symbol).methods:
        print(f"{args.symbol}.{method.name}({method.input_type.full_name}) returns "
              f"({method.output_type.full_name})")


def describe_command(reflection, args):
    message = reflection.message(args.symbol)
    print(f"message {message.name} {{  // {message.full_name}")
    for field in message.fields:
        label = "repeated " if field.label == descriptor.FieldDescriptor.LABEL_REPEATED else (
            "optional " if field.containing_oneof is not None
            and field.containing_oneof.name.startswith("_") else "")
        print(f"  {label}{type_name(field)} {field.name} = {field.number};")
    print("}")


def call_command(reflection, args):
    service_name, _, method_name = args.symbol.replace("/", ".").rpartition(".")
    method = reflection.service(service_name).FindMethodByName(method_name)
    if method is None:
        raise LookupError(f"{service_name} has no method {method_name}")
    request = reflection.message_class(method.input_type)()
    json_format.Parse(args.data, request)
    response_class = reflection.message_class(method.output_type)
    call = args.channel.unary_unary(f"/{service_name}/{method_name}",
                                    request_serializer=lambda m: m.SerializeToString(),
                                    response_deserializer=response_class.FromString)
    response = call(request, metadata=reflection.metadata, timeout=TIMEOUT_S)
    print(json_format.MessageToJson(response, preserving_proto_field_name=True, indent=2,
                                    ensure_ascii=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--api-key", default=os.environ.get("SOUK_API_KEY", ""))
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="the services, or a service's methods")
    listing.add_argument("symbol", nargs="?", default="")
    listing.set_defaults(run=list_command)
    describe = commands.add_parser("describe", help="a message's fields")
    describe.add_argument("symbol")
    describe.set_defaults(run=describe_command)
    call = commands.add_parser("call", help="a unary method with a JSON request")
    call.add_argument("symbol", help="service/method, e.g. souk.v1.SearchService/Search")
    call.add_argument("-d", "--data", default="{}", help="the request in JSON")
    call.set_defaults(run=call_command)
    args = parser.parse_args()

    metadata = [("x-api-key", args.api_key)] if args.api_key else []
    with grpc.insecure_channel(args.server) as channel:
        args.channel = channel
        try:
            args.run(Reflection(channel, metadata), args)
        except grpc.RpcError as error:
            sys.exit(f"ERROR: {error.code().name}: {error.details()}")
        except (LookupError, KeyError, json_format.ParseError) as error:
            sys.exit(f"ERROR: {error}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a synthetic OpenAPI 3.1 document for the generator at scale (issue 7).

Deterministic: the same seed writes the same bytes. By default 200 resources x 5 operations
(list, create, get, update, delete) = 1,000 operations, and 2,000 schemas: per resource a model,
a create request, an update request, a list page, an open enum and a status union of three
variants with a discriminator, plus shared pieces, topped up with nested models to the count.
Written to a path you give (obj/ or a temp dir), never committed:

    python3 benchmarks/synthetic-openapi.py OUT.json [--resources 200] [--schemas 2000] [--seed 7]
"""
import argparse
import json
import random

WORDS = ["name", "region", "owner", "label", "image", "model", "chain", "team", "quota", "window",
         "replica", "target", "budget", "secret", "bucket", "prefix", "cursor", "policy", "limit", "weight"]


def prop(rng, refs):
    kind = rng.choice(["string", "string", "integer", "boolean", "date", "nullable", "ref", "array", "number"])
    if kind == "string":
        return {"type": "string", "description": "A " + rng.choice(WORDS) + "."}
    if kind == "integer":
        return {"type": "integer", "minimum": 0}
    if kind == "number":
        return {"type": "number"}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "format": "date-time"}
    if kind == "nullable":
        return {"anyOf": [{"type": rng.choice(["string", "integer", "boolean"])}, {"type": "null"}], "default": None}
    if kind == "ref" and refs:
        return {"$ref": "#/components/schemas/" + rng.choice(refs)}
    if kind == "array" and refs:
        return {"type": "array", "items": {"$ref": "#/components/schemas/" + rng.choice(refs)}}
    return {"type": "string"}


def model(rng, title, refs, count):
    names = rng.sample(WORDS, count)
    properties = {n: prop(rng, refs) for n in names}
    return {"type": "object", "title": title, "description": "The " + title + ".",
            "properties": properties, "required": [n for n in names if rng.random() < 0.5]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--resources", type=int, default=200)
    parser.add_argument("--schemas", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    schemas = {}
    # Leaf models first, so that references point at something that exists.
    leaves = []
    per_resource = 6
    extra = max(0, args.schemas - args.resources * per_resource - 2)
    for i in range(extra):
        title = "Detail%04dV1" % i
        schemas[title] = model(rng, title, leaves[-50:], rng.randint(3, 8))
        leaves.append(title)
    schemas["ErrorV1"] = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
    schemas["PaginationV1"] = {"type": "object", "properties": {"has_more": {"type": "boolean"},
                               "cursor": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}},
                               "required": ["has_more"]}

    paths = {}
    for r in range(args.resources):
        base = "Resource%03d" % r
        status = base + "StatusV1"
        schemas[status] = {"type": "string", "enum": ["ACTIVE", "INACTIVE", "BUILDING", "FAILED", "SCALED_TO_ZERO"]}
        variants = []
        for v, tag in enumerate(["READY", "PENDING", "ERRORED"]):
            variant = "%sState%sV1" % (base, tag.title())
            if v < 2:
                body = model(rng, variant, leaves, rng.randint(2, 5))
                body["properties"]["kind"] = {"const": tag, "type": "string"}
                body["required"] = sorted(set(body["required"]) | {"kind"})
                schemas[variant] = body
                variants.append((tag, variant))
        union = base + "StateV1"
        schemas[union] = {"oneOf": [{"$ref": "#/components/schemas/" + v} for _, v in variants],
                          "discriminator": {"propertyName": "kind",
                                            "mapping": {t: "#/components/schemas/" + v for t, v in variants}}}
        item = base + "V1"
        schemas[item] = model(rng, item, leaves, rng.randint(5, 14))
        schemas[item]["properties"].update({"id": {"type": "string"}, "status": {"$ref": "#/components/schemas/" + status},
                                            "state": {"$ref": "#/components/schemas/" + union}})
        schemas[item]["required"] = sorted(set(schemas[item]["required"]) | {"id", "status"})
        create = "Create" + base + "RequestV1"
        schemas[create] = model(rng, create, leaves, rng.randint(3, 9))
        update = "Update" + base + "RequestV1"
        schemas[update] = model(rng, update, leaves, rng.randint(2, 6))
        schemas[update]["required"] = []
        page = base + "PageV1"
        schemas[page] = {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/" + item}},
                                                         "pagination": {"$ref": "#/components/schemas/PaginationV1"}},
                         "required": ["items", "pagination"]}

        def response(ref):
            return {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + ref}}}},
                    "default": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorV1"}}}}}

        def body(ref):
            return {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + ref}}}}

        slug = "/v1/resource%03d" % r
        id_param = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
        paths[slug] = {
            "get": {"operationId": "list_%s" % base.lower(), "summary": "List.", "responses": response(page),
                    "parameters": [{"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"}},
                                   {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer"}}]},
            "post": {"operationId": "create_%s" % base.lower(), "summary": "Create.", "requestBody": body(create), "responses": response(item)},
        }
        paths[slug + "/{item_id}"] = {
            "get": {"operationId": "get_%s" % base.lower(), "summary": "Get.", "parameters": [id_param], "responses": response(item)},
            "patch": {"operationId": "update_%s" % base.lower(), "summary": "Update.", "parameters": [id_param], "requestBody": body(update), "responses": response(item)},
            "delete": {"operationId": "delete_%s" % base.lower(), "summary": "Delete.", "parameters": [id_param], "responses": response(item)},
        }

    document = {"openapi": "3.1.0", "info": {"title": "Synthetic", "version": "1.0.0"},
                "servers": [{"url": "https://api.example.com"}], "paths": paths, "components": {"schemas": schemas}}
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=1, sort_keys=False)
    operations = sum(len(p) for p in paths.values())
    print("%s: %d operations, %d schemas" % (args.out, operations, len(schemas)))


if __name__ == "__main__":
    main()

using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// Request bodies: JSON, forms (multipart and URL-encoded), text and binary.
internal sealed partial class OperationShaper
{
    private BodySpec? ShapeBody(OperationObject operation, string baseName, NameTable names)
    {
        if (operation.RequestBody is not { } body)
        {
            return null;
        }

        if (JsonMedia(body.Content) is { } json)
        {
            TypeRef type = _types.Map(json.Schema, baseName + "Request");
            return new BodySpec(names.Claim("body"), type.WithNullable(type.IsNullable || !body.Required), body.Required, body.Doc, BodyKind.Json, json.MediaType);
        }

        foreach (MediaTypeObject media in body.Content)
        {
            switch (media.MediaType)
            {
                case "multipart/form-data":
                case "application/x-www-form-urlencoded":
                    // An optional form with no members (Stripe documents one on every GET) is no body at all.
                    return media.Schema is { Properties.Count: 0, AllOf.Count: 0, Ref: null } && !body.Required ? null : ShapeForm(media, body, baseName, names);
                case "text/plain":
                    return new BodySpec(names.Claim("body"), TypeRef.Of(TypeKind.String).WithNullable(!body.Required), body.Required, body.Doc, BodyKind.Text, media.MediaType);
            }
        }

        if (body.Content.Count > 0)
        {
            // Any other media type is sent as the caller's bytes: application/octet-stream, image/png, ...
            MediaTypeObject binary = body.Content[0];
            return new BodySpec(names.Claim("body"), TypeRef.Of(TypeKind.Stream).WithNullable(!body.Required), body.Required, body.Doc, BodyKind.Binary, binary.MediaType.Contains('*') ? "application/octet-stream" : binary.MediaType);
        }

        throw new Skip("its request body has no content");
    }

    // A form's members become parameters of the method: files as streams, the rest as their types.
    private BodySpec ShapeForm(MediaTypeObject media, RequestBodyObject body, string baseName, NameTable names)
    {
        BodyKind kind = media.MediaType == "multipart/form-data" ? BodyKind.Multipart : BodyKind.FormUrlEncoded;
        TypeRef type = _types.Map(media.Schema, baseName + "Request");
        if (type.Kind != TypeKind.Model || _types.FindModel(type.Name!) is not { } model)
        {
            throw new Skip("its " + media.MediaType + " body is not an object with properties");
        }

        var fields = new List<FieldSpec>();
        foreach (PropertySpec property in model.Properties)
        {
            // The server sets a readOnly member: a request never carries it.
            if (property.IsReadOnly)
            {
                continue;
            }

            bool isFile = kind == BodyKind.Multipart && IsBinary(media.Schema, property.JsonName);
            TypeRef fieldType = isFile ? TypeRef.Of(TypeKind.Stream).WithNullable(!property.IsRequired) : property.Type;
            if (kind == BodyKind.FormUrlEncoded && !IsScalar(fieldType.WithNullable(false)))
            {
                fieldType = property.Type;
            }

            string candidate = NameRules.ToCamelCase(property.JsonName, "field");
            bool required = property.IsRequiredToWrite && body.Required;
            fields.Add(new FieldSpec(names.Claim(names.IsTaken(candidate) ? candidate.TrimStart('@') + "Field" : candidate), property.JsonName, fieldType.WithNullable(fieldType.IsNullable || !required), required, isFile, property.Doc));
        }

        return new BodySpec(string.Empty, type, body.Required, body.Doc, kind, media.MediaType) { Fields = fields.ToEquatableArray() };
    }

    // Whether a property of a (possibly referenced) object schema is a file: string with format binary (3.0), or contentMediaType/contentEncoding-free bytes (3.1 writes it the same way in practice).
    private bool IsBinary(SchemaObject? schema, string property)
    {
        SchemaObject? target = schema is { Ref: { } reference } ? _types.Resolve(reference) : schema;
        SchemaObject? member = target?.Properties.FirstOrDefault(p => p.Name == property)?.Schema;
        if (member is { Ref: { } memberReference })
        {
            member = _types.Resolve(memberReference);
        }

        return member is not null && (member.Format is "binary" or "byte" && member.Types is ["string"] || (member.Types is ["array"] && member.Items?.Format == "binary"));
    }
}

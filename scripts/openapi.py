# Writes Sources/Server/OpenAPIDocument.swift (the document served at /openapi.json). Edit the API description
# here, where schemas, parameters and error responses are shared, then run: python3 scripts/openapi.py
import json, os
COUNTRIES = ["ae","at","auto","be","br","ch","cz","de","dk","es","fi","fr","gb","ie","it","nl","no","pl","pt","sa","se","sk","ua","us"]
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
def ok(schema, desc="OK", code="200"): return {code: {"description": desc, "content": {"application/json": {"schema": schema}}}}
E = {"400": err("Bad request"), "401": err("Missing or invalid API key")}
def errs(*codes):
    d = {"400": err("Bad request: invalid parameters or body"), "401": err("Missing or invalid API key")}
    names = {"404": "Not found (or not this tenant's)", "413": "Upload, image or video above the configured limits",
             "415": "Unsupported media type", "429": "Monthly plate-read quota used up", "403": "Invalid or expired signed URL"}
    for c in codes: d[c] = err(names[c])
    return d
def q(name, schema, desc):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": desc}
idp = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[a-z0-9_]{1,64}$"}}
nullable_str = {"type": ["string", "null"]}
time_str = {"type": "string", "format": "date-time"}
schemas = {
  "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
  "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"},
             "checks": {"type": "object", "additionalProperties": {"type": "string"}}}},
  "Box": {"type": "object", "required": ["x", "y", "width", "height"], "properties": {k: {"type": "number"} for k in ["x", "y", "width", "height"]}},
  "Read": {"type": "object", "required": ["plate", "display", "confidence", "box", "format", "captured_at"],
           "properties": {"id": {"type": "string", "description": "absent when store=false"}, "plate": {"type": "string"},
                          "display": {"type": "string"}, "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                          "box": ref("Box"), "format": {"type": "string"}, "country": {"type": "string"},
                          "camera_id": {"type": "string"}, "job_id": {"type": "string"},
                          "frame_time_s": {"type": "number", "description": "position in the video, for reads from video"},
                          "captured_at": time_str,
                          "image_url": {"type": "string", "description": "the whole frame; signed, short-lived"},
                          "crop_url": {"type": "string", "description": "the plate crop; signed, short-lived"}}},
  "Pass": {"type": "object", "required": ["id", "plate", "display", "confidence", "format", "direction", "movement",
                                          "first_seen_at", "last_seen_at", "frames", "box", "reads_url"],
           "properties": {"id": {"type": "string"}, "plate": {"type": "string"}, "display": {"type": "string"},
                          "confidence": {"type": "number", "minimum": 0, "maximum": 1}, "format": {"type": "string"},
                          "country": {"type": "string"}, "direction": {"enum": ["entry", "exit", "unknown"]},
                          "movement": {"enum": ["approaching", "leaving", "stationary", "unknown"]},
                          "camera_id": {"type": "string"}, "job_id": {"type": "string"},
                          "first_seen_at": time_str, "last_seen_at": time_str,
                          "first_seen_s": {"type": "number"}, "last_seen_s": {"type": "number"},
                          "frames": {"type": "integer"}, "box": ref("Box"), "image_url": {"type": "string"},
                          "crop_url": {"type": "string"}, "reads_url": {"type": "string"}}},
  "Passes": {"type": "object", "required": ["passes"], "properties": {"passes": {"type": "array", "items": ref("Pass")},
             "next_cursor": {"type": "string"}}},
  "Reads": {"type": "object", "required": ["reads"], "properties": {"reads": {"type": "array", "items": ref("Read")},
            "next_cursor": {"type": "string", "description": "pass as cursor for the next page; absent on the last page"}}},
  "Camera": {"type": "object", "required": ["id", "name", "site", "direction", "created_at"],
             "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "site": {"type": "string"},
                            "direction": {"enum": ["entry", "exit", "both"]}, "country": {"type": "string"},
                            "source_url": {"type": "string"}, "enabled": {"type": "boolean"}, "created_at": time_str}},
  "CameraInput": {"type": "object", "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 200},
                  "site": {"type": "string", "maxLength": 200}, "direction": {"enum": ["entry", "exit", "both"]},
                  "country": {"enum": COUNTRIES + [""], "description": "format pack code; empty clears it"},
                  "source_url": {"type": "string", "description": "live source: rtsp://, http(s):// (MJPEG or any stream FFmpeg reads), or a file path when MICROANPR_ALLOW_FILE_SOURCES=1; empty removes it"},
                  "enabled": {"type": "boolean"}}},
  "APIKey": {"type": "object", "required": ["id", "name", "prefix", "created_at"],
             "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "prefix": {"type": "string"},
                            "created_at": time_str, "revoked_at": time_str,
                            "api_key": {"type": "string", "description": "the key itself, only in the answer to its creation"}}},
  "Job": {"type": "object", "required": ["id", "status", "progress", "kind", "filename", "attempts", "frames_total",
                                          "frames_done", "reads_count", "created_at", "reads_url"],
          "properties": {"id": {"type": "string"}, "status": {"enum": ["queued", "processing", "done", "failed"]},
                         "progress": {"type": "integer", "minimum": 0, "maximum": 100}, "kind": {"enum": ["image", "video"]},
                         "filename": {"type": "string"}, "camera_id": {"type": "string"}, "country": {"type": "string"},
                         "attempts": {"type": "integer"}, "frames_total": {"type": "integer"}, "frames_done": {"type": "integer"},
                         "reads_count": {"type": "integer"}, "error": {"type": "string"}, "created_at": time_str,
                         "started_at": time_str, "finished_at": time_str, "reads_url": {"type": "string"}}},
  "Usage": {"type": "object", "required": ["month", "plan", "plate_reads", "quota", "remaining"],
            "properties": {"month": {"type": "string"}, "plan": {"enum": ["starter", "pro", "enterprise"]},
                           "plate_reads": {"type": "integer"}, "quota": {"type": "integer"}, "remaining": {"type": "integer"}}},
  "Tenant": {"type": "object", "required": ["tenant", "webhook_secret"], "properties": {
             "tenant": {"type": "object", "required": ["id", "name", "plan", "retention_days", "created_at"],
                        "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "plan": {"enum": ["starter", "pro", "enterprise"]},
                                       "retention_days": {"type": "integer"}, "created_at": time_str}},
             "webhook_secret": {"type": "string", "description": "signs job webhooks: X-MicroANPR-Signature = sha256=HMAC(secret, timestamp + '.' + body)"}}},
}
recognise_body = {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"}, "camera_id": {"type": "string"}, "country": {"enum": COUNTRIES},
        "store": {"type": "string", "enum": ["true", "false"]}}}},
    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
    "image/png": {"schema": {"type": "string", "format": "binary"}},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
upload_body = {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"}, "camera_id": {"type": "string"}, "country": {"enum": COUNTRIES},
        "webhook_url": {"type": "string", "format": "uri", "pattern": "^https?://"}}}},
    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
    "image/png": {"schema": {"type": "string", "format": "binary"}},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
common_q = [q("camera_id", {"type": "string"}, "a camera of this tenant"),
            q("country", {"enum": COUNTRIES}, "format pack; default: the camera's, else gb")]
LIST_PARAMS = [q("plate", {"type": "string", "pattern": "^[A-Za-z0-9 -]{0,20}$"}, "exact plate (spaces and dashes ignored)"),
                                       q("plate_prefix", {"type": "string", "pattern": "^[A-Za-z0-9 -]{0,20}$"}, "plate prefix"),
                                       q("camera_id", {"type": "string"}, "camera"), q("job_id", {"type": "string"}, "upload job"),
                                       q("pass_id", {"type": "string"}, "vehicle pass (reads only)"),
                                       q("from", {"type": "string", "format": "date-time"}, "captured at or after (RFC 3339)"),
                                       q("to", {"type": "string", "format": "date-time"}, "captured before"),
                                       q("min_confidence", {"type": "number", "minimum": 0, "maximum": 1}, "lowest confidence"),
                                       q("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "page size, default 50"),
                                       q("cursor", {"type": "string"}, "next_cursor of the previous page")]
paths = {
  "/healthz": {"get": {"summary": "Liveness", "security": [], "responses": ok(ref("Status"))}},
  "/readyz": {"get": {"summary": "Readiness: database reachable and migrated, models loaded", "security": [],
              "responses": {**ok(ref("Status")), "503": {"description": "Not ready", "content": {"application/json": {"schema": ref("Status")}}}}}},
  "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1",
                    "content": {"application/json": {"schema": {"type": "object"}}}}}}},
  "/v1/tenant": {"get": {"summary": "The caller's tenant", "responses": {**ok(ref("Tenant")), **errs()}},
                 "patch": {"summary": "Change retention", "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "properties": {"retention_days": {"type": "integer", "minimum": 1, "maximum": 3650}}}}}},
                           "responses": {**ok(ref("Tenant")), **errs("413")}}},
  "/v1/usage": {"get": {"summary": "Plate reads this month against the plan's quota", "responses": {**ok(ref("Usage")), **errs()}}},
  "/v1/api-keys": {"get": {"summary": "API keys (prefix only)", "responses": {**ok({"type": "object", "required": ["api_keys"],
                               "properties": {"api_keys": {"type": "array", "items": ref("APIKey")}}}), **errs()}},
                   "post": {"summary": "Create an API key (returned once)", "requestBody": {"required": True, "content": {"application/json": {
                               "schema": {"type": "object", "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 200}}}}}},
                            "responses": {**ok(ref("APIKey"), "Created", "201"), **errs("413")}}},
  "/v1/api-keys/{id}": {"delete": {"summary": "Revoke an API key (effective immediately)", "parameters": [idp],
                                   "responses": {"204": {"description": "Revoked"}, **errs("404")}}},
  "/v1/cameras": {"get": {"summary": "Cameras", "responses": {**ok({"type": "object", "required": ["cameras"],
                              "properties": {"cameras": {"type": "array", "items": ref("Camera")}}}), **errs()}},
                  "post": {"summary": "Add a camera", "requestBody": {"required": True, "content": {"application/json": {"schema": {
                              "allOf": [ref("CameraInput")], "required": ["name"]}}}},
                           "responses": {**ok(ref("Camera"), "Created", "201"), **errs("403", "413")}}},
  "/v1/cameras/{id}": {"get": {"summary": "One camera", "parameters": [idp], "responses": {**ok(ref("Camera")), **errs("404")}},
                       "patch": {"summary": "Change a camera", "parameters": [idp], "requestBody": {"required": True,
                                 "content": {"application/json": {"schema": ref("CameraInput")}}},
                                 "responses": {**ok(ref("Camera")), **errs("403", "404", "413")}},
                       "delete": {"summary": "Remove a camera", "parameters": [idp], "responses": {"204": {"description": "Removed"}, **errs("404")}}},
  "/v1/cameras/{id}/status": {"get": {"summary": "Live status of a camera's source", "parameters": [idp],
                               "responses": {**ok({"type": "object", "required": ["camera_id", "state"], "properties": {
                                   "camera_id": {"type": "string"},
                                   "state": {"enum": ["idle", "connecting", "connected", "error", "offline"]},
                                   "fps_in": {"type": "number"}, "fps_processed": {"type": "number"},
                                   "last_frame_at": time_str, "last_error": {"type": "string"},
                                   "reconnects": {"type": "integer"}, "retry_in_s": {"type": "number"},
                                   "runner": {"type": "string"}}}), **errs("404")}}},
  "/v1/recognise": {"post": {"summary": "Read the plates in one image (synchronous); stores them unless store=false",
                             "parameters": common_q + [q("store", {"type": "string", "enum": ["true", "false"]}, "default true")],
                             "requestBody": recognise_body,
                             "responses": {**ok({"type": "object", "required": ["reads"], "properties": {"reads": {"type": "array", "items": ref("Read")}}}),
                                           **errs("404", "413", "415", "429")}}},
  "/v1/upload": {"post": {"summary": "Queue an image or video for background recognition",
                          "parameters": common_q + [q("webhook_url", {"type": "string", "format": "uri", "pattern": "^https?://"}, "POSTed a signed job.updated event when the job ends; loopback/private targets are refused (403) unless allowed"),
                                                    q("filename", {"type": "string"}, "name for a raw-body upload")],
                          "requestBody": upload_body,
                          "responses": {"202": {"description": "Queued", "headers": {"Location": {"schema": {"type": "string"}}},
                                                "content": {"application/json": {"schema": {"type": "object", "required": ["job_id", "status"],
                                                "properties": {"job_id": {"type": "string"}, "status": {"const": "queued"}}}}}},
                                        **errs("403", "404", "413", "415", "429")}}},
  "/v1/jobs": {"get": {"summary": "Recent jobs", "parameters": [q("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "default 50")],
                       "responses": {**ok({"type": "object", "required": ["jobs"], "properties": {"jobs": {"type": "array", "items": ref("Job")}}}), **errs()}}},
  "/v1/jobs/{id}": {"get": {"summary": "A job with its status and progress", "parameters": [idp], "responses": {**ok(ref("Job")), **errs("404")}}},
  "/v1/reads": {"get": {"summary": "Reads, newest first, filtered and cursor-paginated",
                        "parameters": [q("plate", {"type": "string", "pattern": "^[A-Za-z0-9 -]{0,20}$"}, "exact plate (spaces and dashes ignored)"),
                                       q("plate_prefix", {"type": "string", "pattern": "^[A-Za-z0-9 -]{0,20}$"}, "plate prefix"),
                                       q("camera_id", {"type": "string"}, "camera"), q("job_id", {"type": "string"}, "upload job"),
                                       q("pass_id", {"type": "string"}, "vehicle pass (reads only)"),
                                       q("from", {"type": "string", "format": "date-time"}, "captured at or after (RFC 3339)"),
                                       q("to", {"type": "string", "format": "date-time"}, "captured before"),
                                       q("min_confidence", {"type": "number", "minimum": 0, "maximum": 1}, "lowest confidence"),
                                       q("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "page size, default 50"),
                                       q("cursor", {"type": "string"}, "next_cursor of the previous page")],
                        "responses": {**ok(ref("Reads")), **errs()}}},
  "/v1/passes": {"get": {"summary": "Vehicle passes from videos, newest first; same filters and paging as /v1/reads",
                         "parameters": LIST_PARAMS, "responses": {**ok(ref("Passes")), **errs()}}},
  "/v1/passes/{id}": {"get": {"summary": "One vehicle pass", "parameters": [idp], "responses": {**ok(ref("Pass")), **errs("404")}}},
  "/v1/passes/{id}/image": {"get": {"summary": "The best crop or frame of a pass, with the API key or a signed URL",
                                   "security": [{"bearer": []}, {}],
                                   "parameters": [idp, q("kind", {"enum": ["crop", "frame"]}, "default crop"),
                                                  q("expires", {"type": "integer"}, "signed URL expiry (Unix seconds)"),
                                                  q("signature", {"type": "string"}, "signed URL signature")],
                                   "responses": {"200": {"description": "The image", "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}, **errs("403", "404")}}},
  "/v1/reads/{id}": {"get": {"summary": "One read", "parameters": [idp], "responses": {**ok(ref("Read")), **errs("404")}}},
  "/v1/reads/{id}/image": {"get": {"summary": "The crop or frame of a read, with the API key or a signed URL",
                                   "security": [{"bearer": []}, {}],
                                   "parameters": [idp, q("kind", {"enum": ["crop", "frame"]}, "default crop"),
                                                  q("expires", {"type": "integer"}, "signed URL expiry (Unix seconds)"),
                                                  q("signature", {"type": "string"}, "signed URL signature")],
                                   "responses": {"200": {"description": "The image", "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                                                  "image/png": {"schema": {"type": "string", "format": "binary"}}}}, **errs("403", "404")}}},
}
doc = {"openapi": "3.1.0",
       "info": {"title": "MicroANPR API", "version": "0.2.0", "description": "Multi-tenant number-plate recognition. Authenticate with Authorization: Bearer KEY. Errors are {\"error\": {\"code\", \"message\"}}."},
       "servers": [{"url": "/"}], "security": [{"bearer": []}],
       "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
       "paths": paths}
s = json.dumps(doc, indent=1)
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Server", "OpenAPIDocument.swift"), "w").write(
 "/// The OpenAPI 3.1 description served at `/openapi.json`; `make test` checks the live server against it with\n"
 "/// schemathesis (scripts/api-fuzz.sh).\nenum OpenAPIDocument {\n    static let json = #\"\"\"\n" + s + "\n\"\"\"#\n}\n")

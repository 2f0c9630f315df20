/// The OpenAPI 3.1 description served at `/openapi.json`; `make test` checks the live server against it with
/// schemathesis (scripts/api-fuzz.sh).
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "MicroANPR API",
  "version": "0.2.0",
  "description": "Multi-tenant number-plate recognition. Authenticate with Authorization: Bearer KEY. Errors are {\"error\": {\"code\", \"message\"}}."
 },
 "servers": [
  {
   "url": "/"
  }
 ],
 "security": [
  {
   "bearer": []
  }
 ],
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer"
   }
  },
  "schemas": {
   "Error": {
    "type": "object",
    "required": [
     "error"
    ],
    "properties": {
     "error": {
      "type": "object",
      "required": [
       "code",
       "message"
      ],
      "properties": {
       "code": {
        "type": "string"
       },
       "message": {
        "type": "string"
       }
      }
     }
    }
   },
   "Status": {
    "type": "object",
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "type": "string"
     },
     "checks": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     }
    }
   },
   "Box": {
    "type": "object",
    "required": [
     "x",
     "y",
     "width",
     "height"
    ],
    "properties": {
     "x": {
      "type": "number"
     },
     "y": {
      "type": "number"
     },
     "width": {
      "type": "number"
     },
     "height": {
      "type": "number"
     }
    }
   },
   "Read": {
    "type": "object",
    "required": [
     "plate",
     "display",
     "confidence",
     "box",
     "format",
     "captured_at"
    ],
    "properties": {
     "id": {
      "type": "string",
      "description": "absent when store=false"
     },
     "plate": {
      "type": "string"
     },
     "display": {
      "type": "string"
     },
     "confidence": {
      "type": "number",
      "minimum": 0,
      "maximum": 1
     },
     "box": {
      "$ref": "#/components/schemas/Box"
     },
     "format": {
      "type": "string"
     },
     "country": {
      "type": "string"
     },
     "camera_id": {
      "type": "string"
     },
     "job_id": {
      "type": "string"
     },
     "frame_time_s": {
      "type": "number",
      "description": "position in the video, for reads from video"
     },
     "captured_at": {
      "type": "string",
      "format": "date-time"
     },
     "image_url": {
      "type": "string",
      "description": "the whole frame; signed, short-lived"
     },
     "crop_url": {
      "type": "string",
      "description": "the plate crop; signed, short-lived"
     }
    }
   },
   "Pass": {
    "type": "object",
    "required": [
     "id",
     "plate",
     "display",
     "confidence",
     "format",
     "direction",
     "movement",
     "first_seen_at",
     "last_seen_at",
     "frames",
     "box",
     "reads_url"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "plate": {
      "type": "string"
     },
     "display": {
      "type": "string"
     },
     "confidence": {
      "type": "number",
      "minimum": 0,
      "maximum": 1
     },
     "format": {
      "type": "string"
     },
     "country": {
      "type": "string"
     },
     "direction": {
      "enum": [
       "entry",
       "exit",
       "unknown"
      ]
     },
     "movement": {
      "enum": [
       "approaching",
       "leaving",
       "stationary",
       "unknown"
      ]
     },
     "camera_id": {
      "type": "string"
     },
     "job_id": {
      "type": "string"
     },
     "first_seen_at": {
      "type": "string",
      "format": "date-time"
     },
     "last_seen_at": {
      "type": "string",
      "format": "date-time"
     },
     "first_seen_s": {
      "type": "number"
     },
     "last_seen_s": {
      "type": "number"
     },
     "frames": {
      "type": "integer"
     },
     "box": {
      "$ref": "#/components/schemas/Box"
     },
     "image_url": {
      "type": "string"
     },
     "crop_url": {
      "type": "string"
     },
     "reads_url": {
      "type": "string"
     }
    }
   },
   "PassInput": {
    "type": "object",
    "required": [
     "plate",
     "confidence",
     "first_seen_at",
     "last_seen_at",
     "reads"
    ],
    "properties": {
     "plate": {
      "type": "string",
      "pattern": "^[A-Z0-9]{1,16}$"
     },
     "display": {
      "type": "string",
      "minLength": 1,
      "maxLength": 24
     },
     "confidence": {
      "type": "number",
      "minimum": 0,
      "maximum": 1
     },
     "format": {
      "type": "string"
     },
     "country": {
      "type": "string",
      "pattern": "^[A-Za-z]{2}$"
     },
     "movement": {
      "enum": [
       "approaching",
       "leaving",
       "stationary",
       "unknown"
      ]
     },
     "camera_id": {
      "type": "string"
     },
     "first_seen_at": {
      "type": "string",
      "format": "date-time"
     },
     "last_seen_at": {
      "type": "string",
      "format": "date-time",
      "description": "at or after first_seen_at, at most 7 days later"
     },
     "best_read": {
      "type": "integer",
      "minimum": 0,
      "description": "index in reads of the read the crop and frame show"
     },
     "reads": {
      "type": "array",
      "minItems": 1,
      "maxItems": 5000,
      "items": {
       "type": "object",
       "required": [
        "plate",
        "confidence",
        "box",
        "captured_at"
       ],
       "properties": {
        "plate": {
         "type": "string",
         "pattern": "^[A-Z0-9]{1,16}$"
        },
        "display": {
         "type": "string"
        },
        "format": {
         "type": "string"
        },
        "country": {
         "type": "string",
         "pattern": "^[A-Za-z]{2}$"
        },
        "confidence": {
         "type": "number",
         "minimum": 0,
         "maximum": 1
        },
        "box": {
         "$ref": "#/components/schemas/Box"
        },
        "captured_at": {
         "type": "string",
         "format": "date-time"
        }
       }
      }
     }
    }
   },
   "Passes": {
    "type": "object",
    "required": [
     "passes"
    ],
    "properties": {
     "passes": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Pass"
      }
     },
     "next_cursor": {
      "type": "string"
     }
    }
   },
   "Reads": {
    "type": "object",
    "required": [
     "reads"
    ],
    "properties": {
     "reads": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Read"
      }
     },
     "next_cursor": {
      "type": "string",
      "description": "pass as cursor for the next page; absent on the last page"
     }
    }
   },
   "Camera": {
    "type": "object",
    "required": [
     "id",
     "name",
     "site",
     "direction",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "site": {
      "type": "string"
     },
     "direction": {
      "enum": [
       "entry",
       "exit",
       "both"
      ]
     },
     "country": {
      "type": "string"
     },
     "source_url": {
      "type": "string"
     },
     "enabled": {
      "type": "boolean"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "CameraInput": {
    "type": "object",
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
     },
     "site": {
      "type": "string",
      "maxLength": 200
     },
     "direction": {
      "enum": [
       "entry",
       "exit",
       "both"
      ]
     },
     "country": {
      "enum": [
       "ae",
       "at",
       "auto",
       "be",
       "br",
       "ch",
       "cz",
       "de",
       "dk",
       "es",
       "fi",
       "fr",
       "gb",
       "ie",
       "it",
       "nl",
       "no",
       "pl",
       "pt",
       "sa",
       "se",
       "sk",
       "ua",
       "us",
       ""
      ],
      "description": "format pack code; empty clears it"
     },
     "source_url": {
      "type": "string",
      "description": "live source: rtsp://, http(s):// (MJPEG or any stream FFmpeg reads), or a file path when MICROANPR_ALLOW_FILE_SOURCES=1; empty removes it"
     },
     "enabled": {
      "type": "boolean"
     }
    }
   },
   "APIKey": {
    "type": "object",
    "required": [
     "id",
     "name",
     "prefix",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "prefix": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "revoked_at": {
      "type": "string",
      "format": "date-time"
     },
     "api_key": {
      "type": "string",
      "description": "the key itself, only in the answer to its creation"
     }
    }
   },
   "Job": {
    "type": "object",
    "required": [
     "id",
     "status",
     "progress",
     "kind",
     "filename",
     "attempts",
     "frames_total",
     "frames_done",
     "reads_count",
     "created_at",
     "reads_url"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "status": {
      "enum": [
       "queued",
       "processing",
       "done",
       "failed"
      ]
     },
     "progress": {
      "type": "integer",
      "minimum": 0,
      "maximum": 100
     },
     "kind": {
      "enum": [
       "image",
       "video"
      ]
     },
     "filename": {
      "type": "string"
     },
     "camera_id": {
      "type": "string"
     },
     "country": {
      "type": "string"
     },
     "attempts": {
      "type": "integer"
     },
     "frames_total": {
      "type": "integer"
     },
     "frames_done": {
      "type": "integer"
     },
     "reads_count": {
      "type": "integer"
     },
     "error": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "started_at": {
      "type": "string",
      "format": "date-time"
     },
     "finished_at": {
      "type": "string",
      "format": "date-time"
     },
     "reads_url": {
      "type": "string"
     }
    }
   },
   "Usage": {
    "type": "object",
    "required": [
     "month",
     "plan",
     "plate_reads",
     "quota",
     "remaining"
    ],
    "properties": {
     "month": {
      "type": "string"
     },
     "plan": {
      "enum": [
       "starter",
       "pro",
       "enterprise"
      ]
     },
     "plate_reads": {
      "type": "integer"
     },
     "quota": {
      "type": "integer"
     },
     "remaining": {
      "type": "integer"
     }
    }
   },
   "Tenant": {
    "type": "object",
    "required": [
     "tenant",
     "webhook_secret"
    ],
    "properties": {
     "tenant": {
      "type": "object",
      "required": [
       "id",
       "name",
       "plan",
       "retention_days",
       "created_at"
      ],
      "properties": {
       "id": {
        "type": "string"
       },
       "name": {
        "type": "string"
       },
       "plan": {
        "enum": [
         "starter",
         "pro",
         "enterprise"
        ]
       },
       "retention_days": {
        "type": "integer"
       },
       "created_at": {
        "type": "string",
        "format": "date-time"
       }
      }
     },
     "webhook_secret": {
      "type": "string",
      "description": "signs job webhooks: X-MicroANPR-Signature = sha256=HMAC(secret, timestamp + '.' + body)"
     }
    }
   }
  }
 },
 "paths": {
  "/healthz": {
   "get": {
    "summary": "Liveness",
    "security": [],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Status"
        }
       }
      }
     }
    }
   }
  },
  "/readyz": {
   "get": {
    "summary": "Readiness: database reachable and migrated, models loaded",
    "security": [],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Status"
        }
       }
      }
     },
     "503": {
      "description": "Not ready",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Status"
        }
       }
      }
     }
    }
   }
  },
  "/openapi.json": {
   "get": {
    "summary": "This document",
    "security": [],
    "responses": {
     "200": {
      "description": "OpenAPI 3.1",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/v1/tenant": {
   "get": {
    "summary": "The caller's tenant",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Tenant"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "patch": {
    "summary": "Change retention",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "retention_days": {
          "type": "integer",
          "minimum": 1,
          "maximum": 3650
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Tenant"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Upload, image or video above the configured limits",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/usage": {
   "get": {
    "summary": "Plate reads this month against the plan's quota",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Usage"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/api-keys": {
   "get": {
    "summary": "API keys (prefix only)",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "api_keys"
         ],
         "properties": {
          "api_keys": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/APIKey"
           }
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Create an API key (returned once)",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "name": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
         }
        }
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/APIKey"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Upload, image or video above the configured limits",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/api-keys/{id}": {
   "delete": {
    "summary": "Revoke an API key (effective immediately)",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Revoked"
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/cameras": {
   "get": {
    "summary": "Cameras",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "cameras"
         ],
         "properties": {
          "cameras": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Camera"
           }
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Add a camera",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "allOf": [
         {
          "$ref": "#/components/schemas/CameraInput"
         }
        ],
        "required": [
         "name"
        ]
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Camera"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "Invalid or expired signed URL",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Upload, image or video above the configured limits",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/cameras/{id}": {
   "get": {
    "summary": "One camera",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Camera"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "patch": {
    "summary": "Change a camera",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CameraInput"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Camera"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "Invalid or expired signed URL",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Upload, image or video above the configured limits",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "delete": {
    "summary": "Remove a camera",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Removed"
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/cameras/{id}/status": {
   "get": {
    "summary": "Live status of a camera's source",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "camera_id",
          "state"
         ],
         "properties": {
          "camera_id": {
           "type": "string"
          },
          "state": {
           "enum": [
            "idle",
            "connecting",
            "connected",
            "error",
            "offline"
           ]
          },
          "fps_in": {
           "type": "number"
          },
          "fps_processed": {
           "type": "number"
          },
          "last_frame_at": {
           "type": "string",
           "format": "date-time"
          },
          "last_error": {
           "type": "string"
          },
          "reconnects": {
           "type": "integer"
          },
          "retry_in_s": {
           "type": "number"
          },
          "runner": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/recognise": {
   "post": {
    "summary": "Read the plates in one image (synchronous); stores them unless store=false",
    "parameters": [
     {
      "name": "camera_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "a camera of this tenant"
     },
     {
      "name": "country",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "ae",
        "at",
        "auto",
        "be",
        "br",
        "ch",
        "cz",
        "de",
        "dk",
        "es",
        "fi",
        "fr",
        "gb",
        "ie",
        "it",
        "nl",
        "no",
        "pl",
        "pt",
        "sa",
        "se",
        "sk",
        "ua",
        "us"
       ]
      },
      "description": "format pack; default: the camera's, else gb"
     },
     {
      "name": "store",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "true",
        "false"
       ]
      },
      "description": "default true"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "multipart/form-data": {
       "schema": {
        "type": "object",
        "required": [
         "file"
        ],
        "properties": {
         "file": {
          "type": "string",
          "format": "binary"
         },
         "camera_id": {
          "type": "string"
         },
         "country": {
          "enum": [
           "ae",
           "at",
           "auto",
           "be",
           "br",
           "ch",
           "cz",
           "de",
           "dk",
           "es",
           "fi",
           "fr",
           "gb",
           "ie",
           "it",
           "nl",
           "no",
           "pl",
           "pt",
           "sa",
           "se",
           "sk",
           "ua",
           "us"
          ]
         },
         "store": {
          "type": "string",
          "enum": [
           "true",
           "false"
          ]
         }
        }
       }
      },
      "image/jpeg": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      },
      "image/png": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      },
      "application/octet-stream": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "reads"
         ],
         "properties": {
          "reads": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Read"
           }
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Upload, image or video above the configured limits",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "Unsupported media type",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Monthly plate-read quota used up",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/upload": {
   "post": {
    "summary": "Queue an image or video for background recognition",
    "parameters": [
     {
      "name": "camera_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "a camera of this tenant"
     },
     {
      "name": "country",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "ae",
        "at",
        "auto",
        "be",
        "br",
        "ch",
        "cz",
        "de",
        "dk",
        "es",
        "fi",
        "fr",
        "gb",
        "ie",
        "it",
        "nl",
        "no",
        "pl",
        "pt",
        "sa",
        "se",
        "sk",
        "ua",
        "us"
       ]
      },
      "description": "format pack; default: the camera's, else gb"
     },
     {
      "name": "webhook_url",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "uri",
       "pattern": "^https?://"
      },
      "description": "POSTed a signed job.updated event when the job ends; loopback/private targets are refused (403) unless allowed"
     },
     {
      "name": "filename",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "name for a raw-body upload"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "multipart/form-data": {
       "schema": {
        "type": "object",
        "required": [
         "file"
        ],
        "properties": {
         "file": {
          "type": "string",
          "format": "binary"
         },
         "camera_id": {
          "type": "string"
         },
         "country": {
          "enum": [
           "ae",
           "at",
           "auto",
           "be",
           "br",
           "ch",
           "cz",
           "de",
           "dk",
           "es",
           "fi",
           "fr",
           "gb",
           "ie",
           "it",
           "nl",
           "no",
           "pl",
           "pt",
           "sa",
           "se",
           "sk",
           "ua",
           "us"
          ]
         },
         "webhook_url": {
          "type": "string",
          "format": "uri",
          "pattern": "^https?://"
         }
        }
       }
      },
      "image/jpeg": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      },
      "image/png": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      },
      "application/octet-stream": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      }
     }
    },
    "responses": {
     "202": {
      "description": "Queued",
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "job_id",
          "status"
         ],
         "properties": {
          "job_id": {
           "type": "string"
          },
          "status": {
           "const": "queued"
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "Invalid or expired signed URL",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Upload, image or video above the configured limits",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "Unsupported media type",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Monthly plate-read quota used up",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/jobs": {
   "get": {
    "summary": "Recent jobs",
    "parameters": [
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 500
      },
      "description": "default 50"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "jobs"
         ],
         "properties": {
          "jobs": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Job"
           }
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/jobs/{id}": {
   "get": {
    "summary": "A job with its status and progress",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Job"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/reads": {
   "get": {
    "summary": "Reads, newest first, filtered and cursor-paginated",
    "parameters": [
     {
      "name": "plate",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[A-Za-z0-9 -]{0,20}$"
      },
      "description": "exact plate (spaces and dashes ignored)"
     },
     {
      "name": "plate_prefix",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[A-Za-z0-9 -]{0,20}$"
      },
      "description": "plate prefix"
     },
     {
      "name": "camera_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "camera"
     },
     {
      "name": "job_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "upload job"
     },
     {
      "name": "pass_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "vehicle pass (reads only)"
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "captured at or after (RFC 3339)"
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "captured before"
     },
     {
      "name": "min_confidence",
      "in": "query",
      "required": false,
      "schema": {
       "type": "number",
       "minimum": 0,
       "maximum": 1
      },
      "description": "lowest confidence"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 500
      },
      "description": "page size, default 50"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "next_cursor of the previous page"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Reads"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/passes": {
   "get": {
    "summary": "Vehicle passes from videos, cameras and edge agents, newest first; same filters and paging as /v1/reads",
    "parameters": [
     {
      "name": "plate",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[A-Za-z0-9 -]{0,20}$"
      },
      "description": "exact plate (spaces and dashes ignored)"
     },
     {
      "name": "plate_prefix",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[A-Za-z0-9 -]{0,20}$"
      },
      "description": "plate prefix"
     },
     {
      "name": "camera_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "camera"
     },
     {
      "name": "job_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "upload job"
     },
     {
      "name": "pass_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "vehicle pass (reads only)"
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "captured at or after (RFC 3339)"
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "captured before"
     },
     {
      "name": "min_confidence",
      "in": "query",
      "required": false,
      "schema": {
       "type": "number",
       "minimum": 0,
       "maximum": 1
      },
      "description": "lowest confidence"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 500
      },
      "description": "page size, default 50"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "next_cursor of the previous page"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Passes"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Ingest a vehicle pass found elsewhere (microanpr edge); stored once per Idempotency-Key",
    "parameters": [
     {
      "name": "Idempotency-Key",
      "in": "header",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[A-Za-z0-9._:-]{1,200}$"
      },
      "description": "one id per pass, reused when the request is retried"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/PassInput"
       }
      },
      "multipart/form-data": {
       "schema": {
        "type": "object",
        "required": [
         "pass"
        ],
        "properties": {
         "pass": {
          "$ref": "#/components/schemas/PassInput"
         },
         "crop": {
          "type": "string",
          "format": "binary"
         },
         "frame": {
          "type": "string",
          "format": "binary"
         }
        }
       },
       "encoding": {
        "pass": {
         "contentType": "application/json"
        },
        "crop": {
         "contentType": "image/jpeg"
        },
        "frame": {
         "contentType": "image/jpeg"
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Already stored under this Idempotency-Key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Pass"
        }
       }
      }
     },
     "201": {
      "description": "Stored",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Pass"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "Idempotency-Key already used for a different pass",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Upload, image or video above the configured limits",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "Unsupported media type",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Monthly plate-read quota used up",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/passes/{id}": {
   "get": {
    "summary": "One vehicle pass",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Pass"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/passes/{id}/image": {
   "get": {
    "summary": "The best crop or frame of a pass, with the API key or a signed URL",
    "security": [
     {
      "bearer": []
     },
     {}
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     },
     {
      "name": "kind",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "crop",
        "frame"
       ]
      },
      "description": "default crop"
     },
     {
      "name": "expires",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "signed URL expiry (Unix seconds)"
     },
     {
      "name": "signature",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "signed URL signature"
     }
    ],
    "responses": {
     "200": {
      "description": "The image",
      "content": {
       "image/jpeg": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "Invalid or expired signed URL",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/reads/{id}": {
   "get": {
    "summary": "One read",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Read"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/v1/reads/{id}/image": {
   "get": {
    "summary": "The crop or frame of a read, with the API key or a signed URL",
    "security": [
     {
      "bearer": []
     },
     {}
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     },
     {
      "name": "kind",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "crop",
        "frame"
       ]
      },
      "description": "default crop"
     },
     {
      "name": "expires",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "signed URL expiry (Unix seconds)"
     },
     {
      "name": "signature",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "signed URL signature"
     }
    ],
    "responses": {
     "200": {
      "description": "The image",
      "content": {
       "image/jpeg": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       },
       "image/png": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       }
      }
     },
     "400": {
      "description": "Bad request: invalid parameters or body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid API key",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "Invalid or expired signed URL",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not found (or not this tenant's)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  }
 }
}
"""#
}

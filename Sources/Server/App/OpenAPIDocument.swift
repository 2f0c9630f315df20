/// The OpenAPI 3.1 description served at `/openapi.json`; `make test` checks the live server against it with
/// schemathesis (scripts/api-fuzz.sh).
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "MicroANPR API",
  "version": "0.2.0",
  "description": "Multi-tenant number-plate recognition. Machines authenticate with Authorization: Bearer KEY (keys act as admin); the dashboard with the session cookie from POST /v1/session plus X-CSRF-Token on state-changing requests. A role too low for a request answers 403. Errors are {\"error\": {\"code\", \"message\"}}."
 },
 "servers": [
  {
   "url": "/"
  }
 ],
 "security": [
  {
   "bearer": []
  },
  {
   "cookie": []
  }
 ],
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer"
   },
   "cookie": {
    "type": "apiKey",
    "in": "cookie",
    "name": "manpr_session"
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
     },
     "group_match": {
      "type": [
       "object",
       "null"
      ],
      "properties": {
       "group_id": {
        "type": "string"
       },
       "group": {
        "type": "string"
       },
       "member_id": {
        "type": "string"
       },
       "member": {
        "type": "string"
       },
       "permit_id": {
        "type": "string"
       },
       "match": {
        "enum": [
         "exact",
         "fuzzy"
        ]
       },
       "valid": {
        "type": "boolean"
       }
      }
     },
     "watchlist": {
      "type": [
       "object",
       "null"
      ],
      "properties": {
       "list_id": {
        "type": "string"
       },
       "list": {
        "type": "string"
       },
       "reason": {
        "enum": [
         "stolen",
         "banned",
         "vip",
         "other"
        ]
       },
       "match": {
        "enum": [
         "exact",
         "fuzzy"
        ]
       }
      }
     },
     "access": {
      "type": "object",
      "properties": {
       "decision": {
        "enum": [
         "allow",
         "deny"
        ]
       },
       "reason": {
        "type": "string"
       }
      }
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
     },
     "group_match": {
      "type": [
       "object",
       "null"
      ],
      "properties": {
       "group_id": {
        "type": "string"
       },
       "group": {
        "type": "string"
       },
       "member_id": {
        "type": "string"
       },
       "member": {
        "type": "string"
       },
       "permit_id": {
        "type": "string"
       },
       "match": {
        "enum": [
         "exact",
         "fuzzy"
        ]
       },
       "valid": {
        "type": "boolean"
       }
      }
     },
     "watchlist": {
      "type": [
       "object",
       "null"
      ],
      "properties": {
       "list_id": {
        "type": "string"
       },
       "list": {
        "type": "string"
       },
       "reason": {
        "enum": [
         "stolen",
         "banned",
         "vip",
         "other"
        ]
       },
       "match": {
        "enum": [
         "exact",
         "fuzzy"
        ]
       }
      }
     },
     "access": {
      "type": "object",
      "properties": {
       "decision": {
        "enum": [
         "allow",
         "deny"
        ]
       },
       "reason": {
        "type": "string"
       }
      }
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
         "type": [
          "string",
          "null"
         ]
        },
        "format": {
         "type": [
          "string",
          "null"
         ]
        },
        "country": {
         "type": [
          "string",
          "null"
         ],
         "pattern": "^[A-Za-z]{2}$",
         "description": "null is the same as absent"
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
   "Group": {
    "type": "object",
    "required": [
     "id",
     "name",
     "description",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "description": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "GroupInput": {
    "type": "object",
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
     },
     "description": {
      "type": "string",
      "maxLength": 2000
     }
    }
   },
   "Member": {
    "type": "object",
    "required": [
     "id",
     "group_id",
     "name",
     "email",
     "permit_id",
     "plate",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "group_id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "email": {
      "type": "string"
     },
     "permit_id": {
      "type": "string"
     },
     "plate": {
      "type": "string"
     },
     "valid_from": {
      "type": "string",
      "format": "date-time"
     },
     "valid_to": {
      "type": "string",
      "format": "date-time"
     },
     "days": {
      "type": "string"
     },
     "hours": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "MemberInput": {
    "type": "object",
    "required": [
     "name",
     "plate"
    ],
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
     },
     "email": {
      "type": "string",
      "maxLength": 254
     },
     "permit_id": {
      "type": "string",
      "maxLength": 100
     },
     "plate": {
      "type": "string",
      "pattern": "^[A-Za-z0-9 -]{2,20}$"
     },
     "valid_from": {
      "type": "string",
      "format": "date-time"
     },
     "valid_to": {
      "type": "string",
      "format": "date-time"
     },
     "days": {
      "type": "string",
      "pattern": "^(mon|tue|wed|thu|fri|sat|sun)(,(mon|tue|wed|thu|fri|sat|sun))*$"
     },
     "hours": {
      "type": "string",
      "pattern": "^[0-2]?[0-9]:[0-5][0-9]-[0-2]?[0-9]:[0-5][0-9]$",
      "description": "HH:MM-HH:MM local time; may wrap past midnight"
     }
    }
   },
   "Watchlist": {
    "type": "object",
    "required": [
     "id",
     "name",
     "reason",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "reason": {
      "enum": [
       "stolen",
       "banned",
       "vip",
       "other"
      ]
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "WatchlistEntry": {
    "type": "object",
    "required": [
     "id",
     "list_id",
     "plate",
     "note",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "list_id": {
      "type": "string"
     },
     "plate": {
      "type": "string"
     },
     "note": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "AlertRule": {
    "type": "object",
    "required": [
     "id",
     "kind",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "kind": {
      "const": "unknown_plate"
     },
     "camera_id": {
      "type": "string"
     },
     "site": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "Alert": {
    "type": "object",
    "required": [
     "id",
     "kind",
     "plate",
     "message",
     "created_at",
     "acknowledged"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "kind": {
      "enum": [
       "watchlist",
       "unknown_plate",
       "permit_invalid",
       "webhook_disabled",
       "overstay"
      ]
     },
     "plate": {
      "type": "string"
     },
     "message": {
      "type": "string"
     },
     "read_id": {
      "type": "string"
     },
     "pass_id": {
      "type": "string"
     },
     "camera_id": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "acknowledged": {
      "type": "boolean"
     },
     "acknowledged_at": {
      "type": "string",
      "format": "date-time"
     },
     "acknowledged_by": {
      "type": "string"
     }
    }
   },
   "Webhook": {
    "type": "object",
    "required": [
     "id",
     "url",
     "events",
     "enabled",
     "consecutive_failures",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "url": {
      "type": "string"
     },
     "events": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "enabled": {
      "type": "boolean"
     },
     "consecutive_failures": {
      "type": "integer"
     },
     "disabled_reason": {
      "type": "string"
     },
     "secret": {
      "type": "string",
      "description": "only in the answer to its creation"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "WebhookInput": {
    "type": "object",
    "properties": {
     "url": {
      "type": "string",
      "format": "uri",
      "pattern": "^https?://"
     },
     "events": {
      "type": "array",
      "minItems": 1,
      "items": {
       "enum": [
        "*",
        "plate.detected",
        "pass.completed",
        "alert.raised",
        "job.updated"
       ]
      }
     },
     "secret": {
      "type": "string",
      "minLength": 16,
      "maxLength": 200,
      "description": "creation only; generated when absent"
     },
     "enabled": {
      "type": "boolean"
     }
    }
   },
   "Delivery": {
    "type": "object",
    "required": [
     "id",
     "webhook_id",
     "event_id",
     "event",
     "status",
     "attempts",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "webhook_id": {
      "type": "string"
     },
     "event_id": {
      "type": "integer"
     },
     "event": {
      "type": "string"
     },
     "status": {
      "enum": [
       "pending",
       "delivered",
       "failed"
      ]
     },
     "attempts": {
      "type": "integer"
     },
     "next_attempt_at": {
      "type": "string",
      "format": "date-time"
     },
     "last_status": {
      "type": "integer"
     },
     "last_error": {
      "type": "string"
     },
     "last_response_ms": {
      "type": "integer"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "delivered_at": {
      "type": "string",
      "format": "date-time"
     },
     "log": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "attempt": {
         "type": "integer"
        },
        "at": {
         "type": "string",
         "format": "date-time"
        },
        "status": {
         "type": "integer"
        },
        "response_ms": {
         "type": "integer"
        },
        "error": {
         "type": "string"
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
     "unknown_access": {
      "enum": [
       "allow",
       "deny"
      ]
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
     },
     "unknown_access": {
      "enum": [
       "allow",
       "deny"
      ],
      "description": "access decision for plates in no group and on no list (default deny)"
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
       "time_zone": {
        "type": "string"
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
   },
   "User": {
    "type": "object",
    "required": [
     "id",
     "email",
     "name",
     "role",
     "status",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "email": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "role": {
      "enum": [
       "viewer",
       "operator",
       "admin",
       "owner"
      ]
     },
     "status": {
      "enum": [
       "active",
       "invited",
       "locked"
      ],
      "description": "invited: no password yet; locked: too many wrong passwords"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "last_login_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "Session": {
    "type": "object",
    "required": [
     "id",
     "site",
     "plate",
     "status",
     "permit_holder",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "site": {
      "type": "string"
     },
     "plate": {
      "type": "string"
     },
     "status": {
      "enum": [
       "open",
       "closed",
       "missed_exit",
       "missed_entry"
      ]
     },
     "entry_pass_id": {
      "type": "string"
     },
     "exit_pass_id": {
      "type": "string"
     },
     "entered_at": {
      "type": "string",
      "format": "date-time"
     },
     "exited_at": {
      "type": "string",
      "format": "date-time"
     },
     "minutes": {
      "type": "integer"
     },
     "permit_holder": {
      "type": "boolean"
     },
     "group_id": {
      "type": "string"
     },
     "charge": {
      "type": "integer",
      "description": "minor units, for closed sessions at a site with a tariff"
     },
     "currency": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "AuditEntry": {
    "type": "object",
    "required": [
     "id",
     "actor",
     "action",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "actor": {
      "type": "string",
      "description": "user:<email>, key:<id>, cli or anonymous"
     },
     "action": {
      "type": "string",
      "description": "e.g. signin, signin.failed, account.locked, user.invite, user.role_change, api_key.create, settings.update, <resource>.delete"
     },
     "target": {
      "type": "string"
     },
     "detail": {
      "type": "string"
     },
     "ip": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "Tariff": {
    "type": "object",
    "required": [
     "weekday"
    ],
    "description": "Money in integer minor units. A stay is split at local midnights; each day's part is priced with its day type's rates and capped.",
    "properties": {
     "currency": {
      "type": "string",
      "pattern": "^[A-Z]{3}$"
     },
     "grace_minutes": {
      "type": "integer",
      "minimum": 0,
      "maximum": 1440
     },
     "weekday": {
      "type": "object",
      "required": [
       "hourly"
      ],
      "properties": {
       "bands": {
        "type": "array",
        "maxItems": 48,
        "items": {
         "type": "object",
         "required": [
          "up_to_minutes",
          "price"
         ],
         "properties": {
          "up_to_minutes": {
           "type": "integer",
           "minimum": 1,
           "maximum": 1440
          },
          "price": {
           "type": "integer",
           "minimum": 0,
           "maximum": 10000000
          }
         }
        }
       },
       "hourly": {
        "type": "integer",
        "minimum": 0,
        "maximum": 10000000,
        "description": "minor units per started hour beyond the last band"
       }
      }
     },
     "weekend": {
      "type": "object",
      "required": [
       "hourly"
      ],
      "properties": {
       "bands": {
        "type": "array",
        "maxItems": 48,
        "items": {
         "type": "object",
         "required": [
          "up_to_minutes",
          "price"
         ],
         "properties": {
          "up_to_minutes": {
           "type": "integer",
           "minimum": 1,
           "maximum": 1440
          },
          "price": {
           "type": "integer",
           "minimum": 0,
           "maximum": 10000000
          }
         }
        }
       },
       "hourly": {
        "type": "integer",
        "minimum": 0,
        "maximum": 10000000,
        "description": "minor units per started hour beyond the last band"
       }
      }
     },
     "bank_holiday": {
      "type": "object",
      "required": [
       "hourly"
      ],
      "properties": {
       "bands": {
        "type": "array",
        "maxItems": 48,
        "items": {
         "type": "object",
         "required": [
          "up_to_minutes",
          "price"
         ],
         "properties": {
          "up_to_minutes": {
           "type": "integer",
           "minimum": 1,
           "maximum": 1440
          },
          "price": {
           "type": "integer",
           "minimum": 0,
           "maximum": 10000000
          }
         }
        }
       },
       "hourly": {
        "type": "integer",
        "minimum": 0,
        "maximum": 10000000,
        "description": "minor units per started hour beyond the last band"
       }
      }
     },
     "daily_cap": {
      "type": "integer",
      "minimum": 0
     },
     "permit_holders_free": {
      "type": "boolean"
     },
     "uk_bank_holidays": {
      "type": "boolean",
      "description": "England and Wales, by rule"
     },
     "extra_bank_holidays": {
      "type": "array",
      "items": {
       "type": "string",
       "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
      }
     }
    }
   },
   "Quote": {
    "type": "object",
    "required": [
     "currency",
     "total",
     "minutes",
     "lines"
    ],
    "properties": {
     "currency": {
      "type": "string"
     },
     "total": {
      "type": "integer"
     },
     "minutes": {
      "type": "integer"
     },
     "free_reason": {
      "enum": [
       "grace",
       "permit"
      ]
     },
     "lines": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "date": {
         "type": "string"
        },
        "day_type": {
         "enum": [
          "weekday",
          "weekend",
          "bank_holiday"
         ]
        },
        "minutes": {
         "type": "integer"
        },
        "price": {
         "type": "integer"
        },
        "capped": {
         "type": "boolean"
        }
       }
      }
     }
    }
   },
   "OverstayRule": {
    "type": "object",
    "required": [
     "id",
     "max_minutes",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "site": {
      "type": "string"
     },
     "group_id": {
      "type": "string"
     },
     "max_minutes": {
      "type": "integer"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "ExportJob": {
    "type": "object",
    "required": [
     "id",
     "dataset",
     "format",
     "filters",
     "status",
     "progress",
     "rows_done",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "dataset": {
      "enum": [
       "reads",
       "passes",
       "sessions",
       "members",
       "alerts"
      ]
     },
     "format": {
      "enum": [
       "csv",
       "xlsx",
       "jsonl"
      ]
     },
     "filters": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "status": {
      "enum": [
       "queued",
       "running",
       "done",
       "failed"
      ]
     },
     "progress": {
      "type": "integer",
      "minimum": 0,
      "maximum": 100
     },
     "rows_done": {
      "type": "integer"
     },
     "rows_total": {
      "type": "integer"
     },
     "bytes": {
      "type": "integer"
     },
     "error": {
      "type": "string"
     },
     "created_by": {
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
     "expires_at": {
      "type": "string",
      "format": "date-time"
     },
     "download_url": {
      "type": "string"
     }
    }
   }
  }
 },
 "paths": {
  "/v1/groups": {
   "get": {
    "summary": "Permit groups",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "groups"
         ],
         "properties": {
          "groups": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Group"
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
    "summary": "Create a group",
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
         },
         "description": {
          "type": "string",
          "maxLength": 2000
         }
        },
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
         "$ref": "#/components/schemas/Group"
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
  "/v1/groups/{id}": {
   "get": {
    "summary": "A group",
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
         "$ref": "#/components/schemas/Group"
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
    "summary": "Rename or describe a group",
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
        "$ref": "#/components/schemas/GroupInput"
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
         "$ref": "#/components/schemas/Group"
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
     }
    }
   },
   "delete": {
    "summary": "Delete a group and its members",
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
      "description": "Deleted"
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
  "/v1/groups/{id}/members": {
   "get": {
    "summary": "Members of a group",
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
          "members"
         ],
         "properties": {
          "members": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Member"
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
     }
    }
   },
   "post": {
    "summary": "Add a member",
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
        "$ref": "#/components/schemas/MemberInput"
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
         "$ref": "#/components/schemas/Member"
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
     }
    }
   }
  },
  "/v1/groups/{id}/members/{member_id}": {
   "delete": {
    "summary": "Remove a member",
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
      "name": "member_id",
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
  "/v1/groups/{id}/members/import": {
   "post": {
    "summary": "Import members from CSV (header row; name and plate required): every row or none",
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
      "text/csv": {
       "schema": {
        "type": "string"
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
          "imported"
         ],
         "properties": {
          "imported": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "422": {
      "description": "Invalid rows: nothing imported; error.rows lists each bad row and its problems",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
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
     }
    }
   }
  },
  "/v1/groups/{id}/members/export": {
   "get": {
    "summary": "Members as CSV",
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
      "description": "CSV",
      "content": {
       "text/csv": {
        "schema": {
         "type": "string"
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
  "/v1/watchlists": {
   "get": {
    "summary": "Watch lists",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "watchlists"
         ],
         "properties": {
          "watchlists": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Watchlist"
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
    "summary": "Create a watch list",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "name",
         "reason"
        ],
        "properties": {
         "name": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
         },
         "reason": {
          "enum": [
           "stolen",
           "banned",
           "vip",
           "other"
          ]
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
         "$ref": "#/components/schemas/Watchlist"
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
  "/v1/watchlists/{id}": {
   "get": {
    "summary": "A watch list",
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
         "$ref": "#/components/schemas/Watchlist"
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
   "delete": {
    "summary": "Delete a watch list and its plates",
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
      "description": "Deleted"
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
  "/v1/watchlists/{id}/entries": {
   "get": {
    "summary": "Plates on a watch list",
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
          "entries"
         ],
         "properties": {
          "entries": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/WatchlistEntry"
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
     }
    }
   },
   "post": {
    "summary": "Add a plate",
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
        "type": "object",
        "required": [
         "plate"
        ],
        "properties": {
         "plate": {
          "type": "string",
          "pattern": "^[A-Za-z0-9 -]{2,20}$"
         },
         "note": {
          "type": "string",
          "maxLength": 1000
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
         "$ref": "#/components/schemas/WatchlistEntry"
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
     }
    }
   }
  },
  "/v1/watchlists/{id}/entries/{entry_id}": {
   "delete": {
    "summary": "Remove a plate",
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
      "name": "entry_id",
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
  "/v1/alert-rules": {
   "get": {
    "summary": "Alert rules for plates in no group",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "alert_rules"
         ],
         "properties": {
          "alert_rules": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/AlertRule"
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
    "summary": "Alert on plates in no group at a camera, a site, or everywhere",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "kind"
        ],
        "properties": {
         "kind": {
          "const": "unknown_plate"
         },
         "camera_id": {
          "type": "string"
         },
         "site": {
          "type": "string",
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
         "$ref": "#/components/schemas/AlertRule"
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
     }
    }
   }
  },
  "/v1/alert-rules/{id}": {
   "delete": {
    "summary": "Delete an alert rule",
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
      "description": "Deleted"
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
  "/v1/alerts": {
   "get": {
    "summary": "Alerts, newest first",
    "parameters": [
     {
      "name": "acknowledged",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "true",
        "false"
       ]
      },
      "description": "filter"
     },
     {
      "name": "kind",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "watchlist",
        "unknown_plate",
        "permit_invalid",
        "webhook_disabled",
        "overstay"
       ]
      },
      "description": "filter"
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
      "description": "default 50"
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
         "type": "object",
         "required": [
          "alerts"
         ],
         "properties": {
          "alerts": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Alert"
           }
          },
          "next_cursor": {
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
     }
    }
   }
  },
  "/v1/alerts/{id}": {
   "get": {
    "summary": "An alert",
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
         "$ref": "#/components/schemas/Alert"
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
  "/v1/alerts/{id}/acknowledge": {
   "post": {
    "summary": "Acknowledge an alert",
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
         "$ref": "#/components/schemas/Alert"
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
  "/v1/webhooks": {
   "get": {
    "summary": "Webhooks",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "webhooks"
         ],
         "properties": {
          "webhooks": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Webhook"
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
    "summary": "Subscribe a URL to events (payloads signed with the secret shown once)",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "url": {
          "type": "string",
          "format": "uri",
          "pattern": "^https?://"
         },
         "events": {
          "type": "array",
          "minItems": 1,
          "items": {
           "enum": [
            "*",
            "plate.detected",
            "pass.completed",
            "alert.raised",
            "job.updated"
           ]
          }
         },
         "secret": {
          "type": "string",
          "minLength": 16,
          "maxLength": 200,
          "description": "creation only; generated when absent"
         },
         "enabled": {
          "type": "boolean"
         }
        },
        "required": [
         "url"
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
         "$ref": "#/components/schemas/Webhook"
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
  "/v1/webhooks/{id}": {
   "get": {
    "summary": "A webhook",
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
         "$ref": "#/components/schemas/Webhook"
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
    "summary": "Change url or events, enable or disable",
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
        "$ref": "#/components/schemas/WebhookInput"
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
         "$ref": "#/components/schemas/Webhook"
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
    "summary": "Delete a webhook and its delivery log",
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
      "description": "Deleted"
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
  "/v1/webhooks/{id}/deliveries": {
   "get": {
    "summary": "Deliveries, newest first",
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
          "deliveries"
         ],
         "properties": {
          "deliveries": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Delivery"
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
     }
    }
   }
  },
  "/v1/webhooks/{id}/deliveries/{delivery_id}": {
   "get": {
    "summary": "A delivery with its attempt log",
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
      "name": "delivery_id",
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
         "$ref": "#/components/schemas/Delivery"
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
  "/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver": {
   "post": {
    "summary": "Send a delivery again now",
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
      "name": "delivery_id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[a-z0-9_]{1,64}$"
      }
     }
    ],
    "responses": {
     "202": {
      "description": "Queued",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Delivery"
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
  "/v1/stream": {
   "get": {
    "summary": "Server-sent events: plate.detected, pass.completed, alert.raised, job.updated; data is the webhook payload",
    "parameters": [
     {
      "name": "Last-Event-ID",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[0-9]{1,18}$"
      },
      "description": "resume after this event id"
     },
     {
      "name": "last_event_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[0-9]{1,18}$"
      },
      "description": "same as the header"
     },
     {
      "name": "types",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "plate.detected",
        "pass.completed",
        "alert.raised",
        "job.updated",
        "plate.detected,alert.raised"
       ]
      },
      "description": "only these types (comma-separated)"
     }
    ],
    "responses": {
     "200": {
      "description": "text/event-stream (never ends)",
      "content": {
       "text/event-stream": {
        "schema": {
         "type": "string"
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
         },
         "time_zone": {
          "type": "string",
          "description": "IANA name, e.g. Europe/London: permits' days and hours are local"
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
  "/v1/reads/{id}/correction": {
   "post": {
    "summary": "Correct a read's plate text (operator): the read changes for search, lists and exports; the correction (who, when, old and new text) is kept, audited, and exported as training data by `microanpr training-export`",
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
        "type": "object",
        "required": [
         "plate"
        ],
        "properties": {
         "plate": {
          "type": "string",
          "minLength": 2,
          "maxLength": 20,
          "pattern": "^[A-Za-z0-9 -]+$",
          "description": "the right plate text (spaces and dashes are dropped)"
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
  },
  "/v1/session": {
   "post": {
    "summary": "Sign in to the dashboard (email and password); sets the session cookie",
    "security": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "email",
         "password"
        ],
        "properties": {
         "email": {
          "type": "string",
          "maxLength": 254
         },
         "password": {
          "type": "string",
          "maxLength": 256
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Signed in: the session cookie (HttpOnly, SameSite=Strict) is set",
      "headers": {
       "Set-Cookie": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      }
     },
     "400": {
      "description": "Bad request",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Wrong email or password",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body too large",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Too many attempts from this address, or the account is locked (Retry-After)",
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
   "get": {
    "summary": "The signed-in user and the CSRF token",
    "security": [
     {
      "cookie": []
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      }
     },
     "401": {
      "description": "No session (API keys have none)",
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
    "summary": "Sign out (clears the cookie; nothing to do without a session)",
    "security": [],
    "responses": {
     "204": {
      "description": "Signed out"
     }
    }
   }
  },
  "/v1/session/password": {
   "post": {
    "summary": "Change the signed-in user's password; their other sessions end",
    "security": [
     {
      "cookie": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "current_password",
         "new_password"
        ],
        "properties": {
         "current_password": {
          "type": "string"
         },
         "new_password": {
          "type": "string",
          "minLength": 10,
          "maxLength": 256
         }
        }
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Changed"
     },
     "400": {
      "description": "Wrong current password or weak new one",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Not signed in",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "Missing CSRF token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body too large",
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
  "/v1/invitations/accept": {
   "post": {
    "summary": "Accept an invitation: set the password (10 to 256 characters) and sign in",
    "security": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "token",
         "password"
        ],
        "properties": {
         "token": {
          "type": "string"
         },
         "password": {
          "type": "string",
          "minLength": 10,
          "maxLength": 256
         },
         "name": {
          "type": "string",
          "maxLength": 200
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Signed in: the session cookie (HttpOnly, SameSite=Strict) is set",
      "headers": {
       "Set-Cookie": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      }
     },
     "400": {
      "description": "Weak password or bad body",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown, used or expired invitation",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body too large",
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
  "/v1/users": {
   "get": {
    "summary": "Dashboard users of the tenant (admin)",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "users"
         ],
         "properties": {
          "users": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/User"
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
     "403": {
      "description": "Needs the admin role",
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
    "summary": "Invite a user (admin; only an owner invites owners); the link is returned once",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "email",
         "role"
        ],
        "properties": {
         "email": {
          "type": "string",
          "format": "email",
          "maxLength": 254
         },
         "role": {
          "enum": [
           "viewer",
           "operator",
           "admin",
           "owner"
          ]
         },
         "name": {
          "type": "string",
          "maxLength": 200
         }
        }
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Invited",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "user",
          "invite_token",
          "invite_url"
         ],
         "properties": {
          "user": {
           "$ref": "#/components/schemas/User"
          },
          "invite_token": {
           "type": "string"
          },
          "invite_url": {
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
     "403": {
      "description": "Needs the admin role; the owner role needs an owner",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "Email already used",
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
  "/v1/users/{id}": {
   "patch": {
    "summary": "Change a user's role",
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
        "type": "object",
        "required": [
         "role"
        ],
        "properties": {
         "role": {
          "enum": [
           "viewer",
           "operator",
           "admin",
           "owner"
          ]
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
         "$ref": "#/components/schemas/User"
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
      "description": "Needs the admin role; the owner role needs an owner",
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
      "description": "The last owner cannot be demoted",
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
    "summary": "Remove a user (their sessions end)",
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
     "403": {
      "description": "Needs the admin role; an owner needs an owner",
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
      "description": "The last owner cannot be removed",
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
  "/v1/audit": {
   "get": {
    "summary": "Audit log, newest first (admin): sign-ins, permission changes, keys, settings, exports, deletions",
    "parameters": [
     {
      "name": "before",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1
      },
      "description": "next_before of the previous page"
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
          "entries"
         ],
         "properties": {
          "entries": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/AuditEntry"
           }
          },
          "next_before": {
           "type": "integer"
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
      "description": "Needs the admin role",
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
  "/v1/tariffs": {
   "get": {
    "summary": "Tariffs per site",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "tariffs"
         ],
         "properties": {
          "tariffs": {
           "type": "array",
           "items": {
            "type": "object",
            "properties": {
             "site": {
              "type": "string"
             },
             "tariff": {
              "$ref": "#/components/schemas/Tariff"
             }
            }
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
   "put": {
    "summary": "Set a site's tariff (admin)",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "site",
         "tariff"
        ],
        "properties": {
         "site": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
         },
         "tariff": {
          "$ref": "#/components/schemas/Tariff"
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
         "type": "object",
         "properties": {
          "site": {
           "type": "string"
          },
          "tariff": {
           "$ref": "#/components/schemas/Tariff"
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
      "description": "Needs the admin role",
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
    "summary": "Remove a site's tariff (admin)",
    "parameters": [
     {
      "name": "site",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 200
      },
      "description": "site name (empty: any)"
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
     "403": {
      "description": "Needs the admin role",
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
  "/v1/tariffs/quote": {
   "post": {
    "summary": "Price a stay: with a site's tariff, an inline tariff, or the hourly shape {dayType, duration, baseRate, startDate, endDate}",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "site": {
          "type": "string"
         },
         "tariff": {
          "$ref": "#/components/schemas/Tariff"
         },
         "entered_at": {
          "type": "string",
          "format": "date-time"
         },
         "exited_at": {
          "type": "string",
          "format": "date-time"
         },
         "permit_holder": {
          "type": "boolean"
         },
         "dayType": {
          "enum": [
           "weekday",
           "weekend",
           "bank_holiday"
          ]
         },
         "duration": {
          "type": "integer",
          "minimum": 0,
          "maximum": 525600,
          "description": "minutes"
         },
         "baseRate": {
          "type": "integer",
          "minimum": 0,
          "maximum": 10000000,
          "description": "minor units per started hour"
         },
         "startDate": {
          "type": "string",
          "format": "date-time"
         },
         "endDate": {
          "type": "string",
          "format": "date-time"
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
         "$ref": "#/components/schemas/Quote"
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
      "description": "No tariff for that site",
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
  "/v1/sessions": {
   "get": {
    "summary": "Parking sessions, newest first",
    "parameters": [
     {
      "name": "site",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "maxLength": 200
      },
      "description": "site name (empty: any)"
     },
     {
      "name": "plate",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[A-Za-z0-9 -]{0,20}$"
      },
      "description": "exact plate"
     },
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "open",
        "closed",
        "missed_exit",
        "missed_entry"
       ]
      },
      "description": "filter"
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "ending at or after"
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "starting before"
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
      "description": "default 50"
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
         "type": "object",
         "required": [
          "sessions"
         ],
         "properties": {
          "sessions": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Session"
           }
          },
          "next_cursor": {
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
     }
    }
   }
  },
  "/v1/sessions/{id}": {
   "get": {
    "summary": "A parking session",
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
         "$ref": "#/components/schemas/Session"
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
  "/v1/overstay-rules": {
   "get": {
    "summary": "Overstay rules",
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "overstay_rules"
         ],
         "properties": {
          "overstay_rules": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/OverstayRule"
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
    "summary": "Alert when a stay at a site (or anywhere), of a group's members (or anyone), exceeds max_minutes (admin)",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "max_minutes"
        ],
        "properties": {
         "site": {
          "type": "string",
          "maxLength": 200
         },
         "group_id": {
          "type": "string"
         },
         "max_minutes": {
          "type": "integer",
          "minimum": 1,
          "maximum": 525600
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
         "$ref": "#/components/schemas/OverstayRule"
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
      "description": "Needs the admin role",
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
   }
  },
  "/v1/overstay-rules/{id}": {
   "delete": {
    "summary": "Delete an overstay rule",
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
      "description": "Deleted"
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
      "description": "Needs the admin role",
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
  "/v1/reports/revenue": {
   "get": {
    "summary": "Charges of closed sessions per local day of exit and site",
    "parameters": [
     {
      "name": "from",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "exited at or after"
     },
     {
      "name": "to",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "exited before (at most 400 days after from)"
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
          "days"
         ],
         "properties": {
          "time_zone": {
           "type": "string"
          },
          "days": {
           "type": "array",
           "items": {
            "type": "object",
            "properties": {
             "date": {
              "type": "string"
             },
             "site": {
              "type": "string"
             },
             "currency": {
              "type": "string"
             },
             "sessions": {
              "type": "integer"
             },
             "total": {
              "type": "integer"
             }
            }
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
  "/v1/reports/summary": {
   "get": {
    "summary": "Parking analytics: occupancy over time, dwell-time distribution, entries per hour of day, repeat visitors, permit holders vs others",
    "parameters": [
     {
      "name": "from",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "range start"
     },
     {
      "name": "to",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "range end (at most 92 days after from)"
     },
     {
      "name": "site",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "maxLength": 200
      },
      "description": "site name (empty: any)"
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
          "sessions",
          "occupancy",
          "dwell",
          "entries_by_hour",
          "repeat_visitors",
          "permit_holders",
          "others"
         ],
         "properties": {
          "from": {
           "type": "string",
           "format": "date-time"
          },
          "to": {
           "type": "string",
           "format": "date-time"
          },
          "time_zone": {
           "type": "string"
          },
          "sessions": {
           "type": "integer"
          },
          "occupancy_step": {
           "enum": [
            "hour",
            "day"
           ]
          },
          "occupancy": {
           "type": "array",
           "items": {
            "type": "object",
            "properties": {
             "at": {
              "type": "string",
              "format": "date-time"
             },
             "vehicles": {
              "type": "integer"
             }
            }
           }
          },
          "dwell": {
           "type": "array",
           "items": {
            "type": "object",
            "properties": {
             "range": {
              "type": "string"
             },
             "sessions": {
              "type": "integer"
             }
            }
           }
          },
          "entries_by_hour": {
           "type": "array",
           "items": {
            "type": "object",
            "properties": {
             "hour": {
              "type": "integer"
             },
             "entries": {
              "type": "integer"
             }
            }
           }
          },
          "repeat_visitors": {
           "type": "object"
          },
          "permit_holders": {
           "type": "integer"
          },
          "others": {
           "type": "integer"
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
  "/v1/exports/{dataset}": {
   "get": {
    "summary": "Export reads, passes, parking sessions or alerts for a filter and time range, streamed (audited)",
    "parameters": [
     {
      "name": "dataset",
      "in": "path",
      "required": true,
      "schema": {
       "enum": [
        "reads",
        "passes",
        "sessions",
        "alerts",
        "members",
        "tenant"
       ]
      },
      "description": "tenant: the whole tenant as a SQL script (admin; format=sql)"
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "csv",
        "xlsx",
        "jsonl",
        "pdf",
        "sql"
       ]
      },
      "description": "csv (RFC 4180, UTF-8, header row; default), xlsx, JSON Lines, pdf (reads and passes: a report of at most 5,000 rows); sql for the tenant dataset"
     },
     {
      "name": "dialect",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "sqlite",
        "postgres"
       ]
      },
      "description": "tenant dump: the engine the script is for (default sqlite)"
     },
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
      "name": "site",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "maxLength": 200
      },
      "description": "site name (empty: any)"
     },
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "enum": [
        "open",
        "closed",
        "missed_exit",
        "missed_entry"
       ]
      },
      "description": "sessions only"
     },
     {
      "name": "group_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "members only: one group"
     }
    ],
    "responses": {
     "200": {
      "description": "The rows",
      "headers": {
       "Content-Disposition": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "text/csv": {
        "schema": {
         "type": "string"
        }
       },
       "application/x-ndjson": {
        "schema": {
         "type": "string"
        }
       },
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       },
       "application/sql": {
        "schema": {
         "type": "string"
        }
       },
       "application/pdf": {
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
      "description": "The tenant dump needs the admin role",
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
  "/v1/export-jobs": {
   "get": {
    "summary": "Export jobs of the tenant, newest first",
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
          "exports"
         ],
         "properties": {
          "exports": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/ExportJob"
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
    "summary": "Queue an export as a background job with progress (large exports); same datasets, formats and filters as GET /v1/exports/{dataset} (audited)",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "dataset"
        ],
        "properties": {
         "dataset": {
          "enum": [
           "reads",
           "passes",
           "sessions",
           "members",
           "alerts"
          ]
         },
         "format": {
          "enum": [
           "csv",
           "xlsx",
           "jsonl"
          ]
         },
         "filters": {
          "type": "object",
          "additionalProperties": false,
          "description": "reads and passes: plate, plate_prefix, camera_id, job_id, pass_id (reads), from, to, min_confidence; sessions: site, status, from, to; members: group_id",
          "properties": {
           "plate": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "plate_prefix": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "camera_id": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "job_id": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "pass_id": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "from": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "to": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "min_confidence": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "site": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "status": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           },
           "group_id": {
            "type": [
             "string",
             "number",
             "boolean"
            ]
           }
          }
         }
        }
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
         "$ref": "#/components/schemas/ExportJob"
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
  "/v1/export-jobs/{id}": {
   "get": {
    "summary": "An export job: status, rows done of rows in all, percent",
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
         "$ref": "#/components/schemas/ExportJob"
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
   "delete": {
    "summary": "Delete an export job and its file (a running one stops)",
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
      "description": "Deleted"
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
  "/v1/export-jobs/{id}/download": {
   "get": {
    "summary": "The file of a finished export job (kept MICROANPR_EXPORT_TTL_HOURS)",
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
      "description": "The file",
      "headers": {
       "Content-Disposition": {
        "schema": {
         "type": "string"
        }
       }
      },
      "content": {
       "text/csv": {
        "schema": {
         "type": "string"
        }
       },
       "application/x-ndjson": {
        "schema": {
         "type": "string"
        }
       },
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
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
      "description": "Not finished yet (or failed)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "410": {
      "description": "The file expired",
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

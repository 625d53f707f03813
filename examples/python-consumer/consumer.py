"""Consume Apideck events from an SQS queue subscribed to the receiver's SNS topics.

Each message is validated against the JSON Schema the package ships
(`schemas/apideck-event.schema.json`, draft 2020-12). A valid event goes to
`handle` and is then deleted; an invalid one, or one whose handler raised, is
reported and left in the queue: it comes back after the visibility timeout and,
after the queue's `maxReceiveCount`, moves to its dead-letter queue. Nothing is
deleted unless it was handled.

SQS delivers at least once: `handle` may see an event twice (same `event_id`),
so its side effects must be idempotent on `event_id`.

    python consumer.py --queue-url URL --schema apideck-event.schema.json [--until-empty]

or, from your own code, `consume(queue_url, load_validator(path), handler=your_function)`.

boto3 takes the region, the credentials and `AWS_ENDPOINT_URL` from the usual
environment variables. One JSON line per message goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable

import boto3
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

# SQS's largest batch, and its longest long poll.
MAX_MESSAGES = 10
MAX_WAIT_SECONDS = 20
# A reason quotes the offending value; a long one is cut.
MAX_REASON_CHARS = 300


def load_validator(path: str) -> Draft202012Validator:
    """The schema's validator; `date-time` fields are checked too (rfc3339-validator)."""
    with open(path, encoding="utf-8") as file:
        schema = json.load(file)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def event_of(body: str) -> Any:
    """The event in a message body: as it is with raw delivery, else inside the SNS notification."""
    value = json.loads(body)
    if (
        isinstance(value, dict)
        and value.get("Type") == "Notification"
        and isinstance(value.get("Message"), str)
    ):
        return json.loads(value["Message"])
    return value


def validate(validator: Draft202012Validator, body: str) -> tuple[Any, str | None]:
    """The event and None, or None and what is wrong with the message."""
    try:
        event = event_of(body)
    except json.JSONDecodeError as error:
        return None, f"not JSON: {error.msg} at position {error.pos}"
    errors = [cause_of(error) for error in validator.iter_errors(event)]
    if not errors:
        return event, None
    error = best_match(errors)
    where = "/".join(str(part) for part in error.absolute_path) or "(event)"
    return None, f"{where}: {error.message}"[:MAX_REASON_CHARS]


def cause_of(error: ValidationError) -> ValidationError:
    """The schema is a `oneOf` over event types: the reason is the failure of the event's own type.

    Every other type's branch fails on `event_type` itself; what is left is the
    branch of the event's type, whose best error says what is wrong. Without a
    type (or without one branch left) it is the best error of all branches.
    """
    if error.validator != "oneOf" or not error.context:
        return error
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    own = [
        errors
        for errors in branches.values()
        if not any(list(sub.relative_path) == ["event_type"] for sub in errors)
    ]
    return best_match(own[0] if len(own) == 1 else error.context)


def handle(event: dict[str, Any]) -> None:
    """The subscriber's own code: here nothing. Replace it, keeping it idempotent on event_id."""


def report(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


Handler = Callable[[dict[str, Any]], None]


def settle(message: dict[str, Any], validator: Draft202012Validator, handler: Handler) -> bool:
    """Validates and handles one message; True when it may be deleted."""
    event, problem = validate(validator, message["Body"])
    if problem is not None:
        report(outcome="rejected", message_id=message["MessageId"], reason=problem)
        return False
    try:
        handler(event)
    except Exception as error:  # the handler's failure: retried, never deleted
        report(
            outcome="failed",
            message_id=message["MessageId"],
            event_id=event["event_id"],
            reason=repr(error),
        )
        return False
    report(
        outcome="processed",
        message_id=message["MessageId"],
        event_id=event["event_id"],
        event_type=event["event_type"],
    )
    return True


def consume(
    queue_url: str,
    validator: Draft202012Validator,
    handler: Handler = handle,
    until_empty: bool = False,
    wait_seconds: int = MAX_WAIT_SECONDS,
) -> int:
    """Receives until stopped, or with `until_empty` until a receive returns nothing.

    Returns how many messages it left in the queue.
    """
    sqs = boto3.client("sqs")
    left = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=MAX_MESSAGES,
            WaitTimeSeconds=wait_seconds,
        ).get("Messages", [])
        if not messages and until_empty:
            return left
        done = [message for message in messages if settle(message, validator, handler)]
        left += len(messages) - len(done)
        if done:
            entries = [
                {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                for index, message in enumerate(done)
            ]
            failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
            for entry in failed:
                # Not deleted: SQS delivers it again, and the handler sees it twice.
                report(outcome="delete-failed", entry=entry)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queue-url", required=True, help="the SQS queue subscribed to the topics")
    parser.add_argument(
        "--schema",
        default=os.environ.get("APIDECK_EVENT_SCHEMA"),
        help="path of apideck-event.schema.json (default: $APIDECK_EVENT_SCHEMA)",
    )
    parser.add_argument(
        "--until-empty", action="store_true", help="stop when a receive returns no message"
    )
    parser.add_argument(
        "--wait-seconds", type=int, default=MAX_WAIT_SECONDS, help="long-poll wait (0-20)"
    )
    args = parser.parse_args()
    if not args.schema:
        parser.error("--schema (or APIDECK_EVENT_SCHEMA) is required")
    left = consume(
        args.queue_url,
        load_validator(args.schema),
        until_empty=args.until_empty,
        wait_seconds=args.wait_seconds,
    )
    print(f"{left} message(s) left in the queue for retry or the dead-letter queue", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

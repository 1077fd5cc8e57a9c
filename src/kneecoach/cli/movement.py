"""`kneecoach movement`: measure knee alignment in a video of squats, and compare two results."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from kneecoach.cli.common import (
    OutputFormat,
    console,
    err_console,
    escape,
    in_cli_words,
    print_json,
    read_json_file,
    rich_console,
)
from kneecoach.core.errors import InputError

movement_app = typer.Typer(
    help="Film yourself doing squats and see how your knees line up.",
    no_args_is_help=True,
)

FLAGS = {
    "video": "VIDEO",
    "test": "--test",
    "side": "--side",
    "out_dir": "--out",
    "annotated_video": "--video",
}
"""The service's field names in this command's words."""


TEST_TITLES = {"single_leg_squat": "Single-leg squats", "double_leg_squat": "Double-leg squats"}
SQUAT_COLUMNS = (
    "Squat",
    "Bottom",
    "Left in",
    "Right in",
    "Left bend",
    "Right bend",
    "Pelvis drop",
    "Trunk lean",
)
"""Per squat: its deepest moment, each knee's inward angle (FPPA) and bend there, the pelvis."""


class TestName(StrEnum):
    single_leg_squat = "single_leg_squat"
    double_leg_squat = "double_leg_squat"


class SideName(StrEnum):
    left = "left"
    right = "right"


@contextmanager
def reading_bar() -> Iterator[Callable[[float], None]]:
    """A Rich progress bar on stderr while the frames are read (so JSON on stdout stays pure);
    nothing when stderr is not a terminal."""
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    screen = rich_console(err_console)
    bar = Progress(
        TextColumn("Reading the video"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=screen,
        transient=True,
        disable=not screen.is_terminal,
    )
    with bar:
        task = bar.add_task("video", total=1.0)

        def update(fraction: float) -> None:
            bar.update(task, completed=fraction)

        yield update


def _degrees(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}°"


def _knee(rep: Mapping[str, Any], side: str, key: str) -> float | None:
    knee = rep.get(side)
    return knee.get(key) if isinstance(knee, Mapping) else None


def show_result(result: Mapping[str, Any]) -> None:
    """The figures per squat, the summary per side, then the warnings and observations."""
    from rich.table import Table

    test = TEST_TITLES.get(str(result.get("test")), "Squats")
    view = result.get("view")
    seen = f"Seen from the {view}." if view in ("front", "side") else "The view was not clear."
    console.print(
        f"{result.get('frames', 0)} frames read; the person was found in "
        f"{result.get('frames_with_person', 0)}. {seen}"
    )
    repetitions = result.get("repetitions") or []
    if repetitions:
        table = Table(
            title=f"{test}, standing on the {result.get('side')} leg",
            title_justify="left",
        )
        for heading in SQUAT_COLUMNS:
            table.add_column(heading, justify="right")
        for rep in repetitions:
            table.add_row(
                str(rep.get("index")),
                f"{rep.get('bottom_s', 0):.1f} s",
                _degrees(_knee(rep, "left", "fppa_deg")),
                _degrees(_knee(rep, "right", "fppa_deg")),
                _degrees(_knee(rep, "left", "flexion_deg")),
                _degrees(_knee(rep, "right", "flexion_deg")),
                _degrees(rep.get("pelvis_drop_deg")),
                _degrees(rep.get("trunk_lean_deg")),
            )
        console.print(table)
        console.print(
            "“In” is how far the knee moved inward from the hip–ankle line (a minus means "
            "outward), “bend” how far it bent; “—” is a figure this view cannot measure."
        )
    else:
        console.print("No squats were found in this video.")
    _show_summary(result.get("summary"))
    for warning in result.get("warnings") or []:
        console.print(f"[yellow]Check:[/yellow] {escape(str(warning.get('message', '')))}")
    for observation in result.get("observations") or []:
        console.print(f"• {escape(str(observation.get('text', '')))}")
    outputs = result.get("outputs") or {}
    if outputs.get("strip_png"):
        console.print(f"Pictures of the deepest point of each squat: {outputs['strip_png']}")
    if outputs.get("video"):
        console.print(f"The video with the lines drawn: {outputs['video']}")


def _show_summary(summary: Any) -> None:
    if not isinstance(summary, Mapping):
        return
    from rich.table import Table

    table = Table(title="On average", title_justify="left")
    table.add_column("Side")
    table.add_column("Measured", justify="right")
    table.add_column("Knee in", justify="right")
    table.add_column("Knee bent", justify="right")
    table.add_column("Pelvis drop", justify="right")
    for side in ("left", "right"):
        figures = summary.get(side)
        if not isinstance(figures, Mapping):
            continue
        table.add_row(
            side.capitalize(),
            str(figures.get("repetitions", 0)),
            _degrees(figures.get("fppa_mean_deg")),
            _degrees(figures.get("depth_mean_deg")),
            _degrees(figures.get("pelvis_drop_mean_deg")),
        )
    console.print(table)
    difference = summary.get("difference_fppa_deg")
    if difference is not None:
        console.print(f"Difference between the knees: {difference:.0f}°")


@movement_app.command("analyze")
def analyze(
    video: Path = typer.Argument(
        ...,
        metavar="VIDEO",
        help="The video: MP4, MOV or WebM, up to a minute, filmed as docs/movement.md says.",
    ),
    test: TestName = typer.Option(..., "--test", help="single_leg_squat or double_leg_squat."),
    side: SideName = typer.Option(
        ...,
        "--side",
        help="The standing leg (for a double-leg squat, the side you care most about).",
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="A folder for pictures of each squat's deepest point, with the lines drawn.",
    ),
    annotated: bool = typer.Option(
        False, "--video", help="Also write the video with the lines drawn (needs --out)."
    ),
) -> None:
    """Measure how your knees line up at the bottom of each squat in a video."""
    from kneecoach.services.movement import analyse_video

    with in_cli_words(**FLAGS), reading_bar() as progress:
        result = analyse_video(
            video,
            test=test.value,
            side=side.value,
            out_dir=out,
            progress=progress,
            annotated_video=annotated,
        )
    if output is OutputFormat.json:
        print_json(result)
    else:
        show_result(result)


@movement_app.command("compare")
def compare(
    earlier: Path = typer.Argument(
        ..., metavar="EARLIER", help="The earlier result (JSON from --format json)."
    ),
    later: Path = typer.Argument(..., metavar="LATER", help="The later result of the same test."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Say what changed between two movement checks (small changes are within the noise)."""
    from kneecoach.services.movement import compare_results

    before = read_json_file(earlier, "EARLIER")
    after = read_json_file(later, "LATER")
    if not isinstance(before, dict):
        raise InputError("EARLIER", "is not the JSON of a movement check")
    if not isinstance(after, dict):
        raise InputError("LATER", "is not the JSON of a movement check")
    with in_cli_words(earlier="EARLIER", later="LATER"):
        changes = compare_results(before, after)
    if output is OutputFormat.json:
        print_json(changes)
        return
    if not changes:
        console.print("Nothing to compare: neither result has figures for the same knee.")
    for change in changes:
        console.print(f"• {escape(str(change.get('text', '')))}")


def register(app: typer.Typer) -> None:
    app.add_typer(movement_app, name="movement")

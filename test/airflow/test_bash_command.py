"""A bash task whose command ends in .sh or .bash runs as a command on the installed Airflow.

BashOperator's template_ext is (".sh", ".bash"): a bash_command ending in either is loaded as a
Jinja template file, and rendering fails with TemplateNotFound. The generator adds a trailing
space (Airflow's documented way out), so the command renders as written and bash runs it.
"""

from __future__ import annotations

from pathlib import Path

from airflow.models.dagbag import DagBag
from test_dag_runs import generate

SPEC = """\
apiVersion: dagwright/v1
kind: Pipeline
name: bash_script
schedule: "@daily"
start_date: 2026-01-01
tasks:
  script:
    type: bash
    command: ./hello.sh
    cwd: {cwd}
"""


def _generated_task(tmp_path: Path):
    spec = tmp_path / "bash_script.yaml"
    spec.write_text(SPEC.format(cwd=tmp_path))
    out = generate(spec, tmp_path / "dags")
    dagbag = DagBag(dag_folder=str(out), include_examples=False)
    assert dagbag.import_errors == {}
    return dagbag.dags["bash_script"].get_task("script")


def test_a_script_command_renders_as_a_command_and_runs(tmp_path: Path) -> None:
    script = tmp_path / "hello.sh"
    script.write_text('#!/usr/bin/env bash\necho "ran {{ not a template }}"\n')
    script.chmod(0o755)
    task = _generated_task(tmp_path)

    task.render_template_fields(context={})

    assert task.bash_command == "./hello.sh "
    assert task.execute(context={}) == "ran {{ not a template }}"

"""The package itself: version, docstrings, type stubs, and the import that set-up installs."""

import ast
import inspect
import re
import site
import subprocess
from pathlib import Path

import pytest

import lle
from lle import _lle
from conftest import REPOSITORY

PACKAGE = Path(lle.__file__).resolve().parent


def test_version_is_the_projects():
    cmake = (REPOSITORY / "CMakeLists.txt").read_text()
    version = re.search(r"project\(lle VERSION (\S+)", cmake).group(1)
    assert lle.__version__ == _lle.__version__ == version


def undocumented(names, namespace):
    """Those of `names` in `namespace` without a docstring, with the public members of each
    class among them (methods, properties, bound attributes) that have none."""
    missing = []
    for name in names:
        obj = getattr(namespace, name)
        if not inspect.getdoc(obj):
            missing.append(name)
        if inspect.isclass(obj):
            missing += [f"{name}.{member_name}" for member_name, member in vars(obj).items()
                        if not member_name.startswith("_") and not member.__doc__]
    return missing


def test_every_public_name_has_a_docstring():
    assert inspect.getdoc(lle) and inspect.getdoc(_lle)
    public = [name for name in lle.__all__ if name != "__version__"]
    missing = undocumented(public, lle) + undocumented(["Embedding", "_points_address"], _lle)
    assert not missing, f"no docstring: {missing}"


def test_stubs_describe_the_compiled_module():
    assert (PACKAGE / "py.typed").is_file()
    stub = ast.parse((PACKAGE / "_lle.pyi").read_text())
    declared = {node.name for node in stub.body
                if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    declared |= {node.target.id for node in stub.body if isinstance(node, ast.AnnAssign)}
    compiled = {name for name in dir(_lle) if not name.startswith("__") or name == "__version__"}
    assert declared == compiled
    members = {node.name: {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
               for node in stub.body if isinstance(node, ast.ClassDef)}
    for name in ("Model", "Embedding"):
        cls = getattr(_lle, name)
        public = {member for member in vars(cls) if not member.startswith("_")}
        assert public <= members[name], (name, public - members[name])


def installed_path_file():
    """The lle.pth that scripts/setup writes for Debian's python3, if it has run."""
    candidates = [Path(site.getsitepackages()[0]) / "lle.pth",
                  Path(site.getusersitepackages()) / "lle.pth"]
    return next((path for path in candidates if path.is_file()), None)


def test_setup_makes_lle_importable_from_anywhere(tmp_path):
    path_file = installed_path_file()
    if path_file is None:
        pytest.skip("scripts/setup has not installed lle.pth for this interpreter")
    target = Path(path_file.read_text().strip())
    assert (target / "lle" / "__init__.py").is_file(), f"{path_file} names {target}"
    # A new interpreter with an empty environment, in a folder that has nothing of lle.
    proc = subprocess.run(["/usr/bin/python3", "-c", "import lle; print(lle.__file__)"],
                          cwd=tmp_path, env={}, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).resolve() == (target / "lle" / "__init__.py").resolve()


def test_the_engine_takes_the_hnsw_projection_knobs():
    import numpy as np

    rng = np.random.default_rng(1)
    # 3,000 points near an 8-dimensional subspace of 200 coordinates.
    points = rng.normal(size=(3000, 8)) @ rng.normal(size=(8, 200))
    points += 0.01 * rng.normal(size=points.shape)
    for projection in (-1, 12):
        result = _lle.embed(points, n_neighbors=10, neighbors_algorithm="hnsw",
                            hnsw_projection=projection, hnsw_candidates=40)
        assert result.neighbor_algorithm == "hnsw"
        assert result.recall >= 0.95, projection
    with pytest.raises(ValueError, match="candidates"):
        _lle.embed(points, neighbors_algorithm="hnsw", hnsw_candidates=-1)
    with pytest.raises(ValueError, match="projection"):
        _lle.embed(points, neighbors_algorithm="hnsw", hnsw_projection=-2)

"""`python -m msjax SCRIPT.py args` behaves like `python SCRIPT.py args` with mindspore served by msjax."""
import subprocess
import sys
import textwrap


def _run(tmp_path, source, *args):
    script = tmp_path / "user_script.py"
    script.write_text(textwrap.dedent(source))
    return subprocess.run([sys.executable, "-m", "msjax", script.name, *args], cwd=tmp_path, capture_output=True,
                          text=True)


def test_argv_file_name_and_path(tmp_path):
    (tmp_path / "helper_module.py").write_text("VALUE = 42\n")
    done = _run(tmp_path, """
        import sys, os
        import mindspore, msjax
        import helper_module
        print(sys.argv[1:], os.path.basename(__file__), __name__, mindspore is msjax, helper_module.VALUE)
        print(sys.argv[0])
    """, "--lr", "0.1")
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == "['--lr', '0.1'] user_script.py __main__ True 42"
    assert second == "user_script.py"


def test_traceback_starts_at_the_script_and_exit_code_is_1(tmp_path):
    done = _run(tmp_path, """
        def fail():
            raise ValueError("boom")
        fail()
    """)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert 'File "user_script.py", line 4, in <module>' in lines[1]
    assert lines[-1] == "ValueError: boom"
    assert "msjax" not in done.stderr and "runpy" not in done.stderr


def test_sys_exit_code_is_kept(tmp_path):
    assert _run(tmp_path, "import sys; sys.exit(3)").returncode == 3


def test_classes_defined_in_the_script_live_in_main(tmp_path):
    done = _run(tmp_path, """
        import pickle
        class Point:
            pass
        print(Point.__module__, type(pickle.loads(pickle.dumps(Point()))).__name__)
    """)
    assert done.stdout.split() == ["__main__", "Point"], done.stderr


def test_usage_without_a_script():
    done = subprocess.run([sys.executable, "-m", "msjax"], capture_output=True, text=True)
    assert done.returncode == 2 and "usage: python -m msjax SCRIPT.py" in done.stdout


def test_missing_script(tmp_path):
    done = subprocess.run([sys.executable, "-m", "msjax", "nope.py"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 2 and "can't open file 'nope.py'" in done.stderr

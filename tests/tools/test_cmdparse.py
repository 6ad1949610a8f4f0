"""The command lexer on its own: quote removal, substitutions pulled out, redirections, fail-closed problems."""

from __future__ import annotations

from xiaodazi.tools.cmdparse import parse


def _words(text: str, dialect: str = "bash") -> list[list[str]]:
    return [[w.text for w in c.words] for c in parse(text, dialect).commands]


def test_quotes_escapes_and_ansi_c_strings_are_removed_like_bash_does():
    assert _words("r''m \"-r\"f $'\\x2f' \\/tmp") == [["rm", "-rf", "/", "/tmp"]]


def test_compound_commands_split_on_every_operator():
    assert _words("a; b && c || d | e & f\ng") == [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]


def test_substitutions_are_extracted_for_their_own_check():
    parsed = parse('echo "$(whoami)" `id` <(ls) $((1+2))', "bash")
    assert [s for _, s in parsed.substitutions] == ["whoami", "id", "ls", "1+2"]
    assert all(w.dynamic for w in parsed.commands[0].words[1:])


def test_redirections_are_separated_from_words():
    simple = parse("sort < in.txt > out.txt 2>&1", "bash").commands[0]
    assert [w.text for w in simple.words] == ["sort"]
    assert [(op, w.text) for op, w in simple.redirects] == [("<", "in.txt"), (">", "out.txt")]


def test_what_cannot_be_understood_is_reported():
    assert parse("echo 'open", "bash").problems == ["unbalanced '"]
    assert "here-documents are not checked line by line" in parse("cat <<EOF\nx\nEOF", "bash").problems
    assert "defines a shell function" in parse("f() { ls; }", "bash").problems


def test_comments_end_at_the_line_end():
    assert _words("ls # ; rm -rf /\npwd") == [["ls"], ["pwd"]]


def test_powershell_blocks_and_quotes():
    parsed = parse("Get-ChildItem | ForEach-Object { Remove-Item $_ }; Write-Output 'it''s'", "powershell")
    assert [s for _, s in parsed.substitutions] == [" Remove-Item $_ "]
    assert [[w.text for w in c.words] for c in parsed.commands][-1] == ["Write-Output", "it's"]


def test_cmd_splits_on_ampersand_and_unescapes_carets():
    assert _words("dir & r^d /s C:\\x", "cmd") == [["dir"], ["rd", "/s", "C:\\x"]]

# SPDX-License-Identifier: GPL-2.0
#
# An addition to the kernel's Documentation/conf.py (it loads the file
# named by SPHINX_CONF last), for scripts/docs.sh: the book in DOCS_SRC
# reduced to the one page DOCS_PAGE, which becomes its root.  The page is
# built with the kernel's own configuration and extensions (kernel-doc
# included), without the minutes the rest of the book takes.
import os

_src = os.environ['DOCS_SRC']
_page = os.environ['DOCS_PAGE']
exclude_patterns = ['output']
for _dir, _subdirs, _files in os.walk(_src):
    for _f in _files:
        _rel = os.path.relpath(os.path.join(_dir, _f), _src)
        if _f.endswith('.rst') and _rel != _page + '.rst':
            exclude_patterns.append(_rel)
master_doc = root_doc = _page

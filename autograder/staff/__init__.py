"""Staff-side work after the deadline: reading what Gradescope exports, grading it incrementally,
people's corrections (overrides), the review page, the exports and the HTML report.

Everything here runs on an instructor's machine, never on Gradescope and never in the student
bundle. Grading itself is ``autograder.grade.grade_file``; this package only decides what to
grade, keeps the results, and renders them for staff.
"""

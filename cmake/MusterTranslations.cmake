# muster_translations(DOMAIN PODIR TARGET): compiles each PODIR/LANG.po (the languages
# PODIR/LINGUAS names) into ${MUSTER_LOCALEDIR}/LANG/LC_MESSAGES/DOMAIN.mo, where a
# program run from the build tree finds it, and installs it to share/locale. TARGET is
# the custom target that builds them (part of ALL).
find_program(MSGFMT msgfmt REQUIRED)
set(MUSTER_LOCALEDIR ${CMAKE_BINARY_DIR}/locale)

function(muster_translations domain podir target)
  file(STRINGS ${podir}/LINGUAS linguas REGEX "^[^#]")
  set(mo_files)
  foreach(lang ${linguas})
    set(mo ${MUSTER_LOCALEDIR}/${lang}/LC_MESSAGES/${domain}.mo)
    add_custom_command(
      OUTPUT ${mo}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${MUSTER_LOCALEDIR}/${lang}/LC_MESSAGES
      COMMAND ${MSGFMT} --check -o ${mo} ${podir}/${lang}.po
      DEPENDS ${podir}/${lang}.po)
    list(APPEND mo_files ${mo})
    install(FILES ${mo} DESTINATION share/locale/${lang}/LC_MESSAGES)
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${mo_files})
endfunction()

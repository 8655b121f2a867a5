# Installation layout (`cmake --install`) and the Debian package (CPack DEB).
# Included last from the root CMakeLists, after every target exists.
#   cmake --install build --prefix /opt/stepwise     a relocatable tree
#   cpack --config build/CPackConfig.cmake           build/stepwise_<version>_<arch>.deb
# tests/install/ checks both: the files, the validators, and the installed binaries.
include(GNUInstallDirs)

# The AppStream component id (reverse DNS of the homepage) and the project's address.
set(STEPWISE_APP_ID io.github.stepwise.Stepwise)
set(STEPWISE_HOMEPAGE "https://github.com/stepwise/stepwise")
set(STEPWISE_SCREENSHOTS_URL "https://raw.githubusercontent.com/stepwise/stepwise/main/docs/screenshots")
# The date of the release PROJECT_VERSION names (AppStream <release>): bump both together.
set(STEPWISE_RELEASE_DATE 2026-11-24)
set(STEPWISE_PACKAGE_MAINTAINER "Stepwise developers <stepwise@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the Debian package")

install(TARGETS stepwise-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Model and project files are recognised by suffix (and model files by their magic
# bytes) whether or not the GUI is installed.
install(FILES ${PROJECT_SOURCE_DIR}/resources/mime/stepwise.xml
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/mime/packages)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/stepwise)

if(STEPWISE_BUILD_GUI)
  install(TARGETS stepwise RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/resources/stepwise.desktop
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/stepwise.svg
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps)

  # Menus and software centres that do not render SVG take the 256 px PNG, painted at
  # build time by the window icon's own code.
  add_executable(stepwise-render-icon ${PROJECT_SOURCE_DIR}/installer/render_icon.cpp
                                      ${PROJECT_SOURCE_DIR}/ui/widgets/app_icon.cpp)
  target_include_directories(stepwise-render-icon PRIVATE ${PROJECT_SOURCE_DIR}/ui)
  target_link_libraries(stepwise-render-icon PRIVATE Qt6::Gui)
  set_target_properties(stepwise-render-icon PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/installer)
  set(STEPWISE_ICON_PNG ${PROJECT_BINARY_DIR}/installer/icons/256x256/stepwise.png)
  add_custom_command(
    OUTPUT ${STEPWISE_ICON_PNG}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/installer/icons/256x256
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen $<TARGET_FILE:stepwise-render-icon> 256 ${STEPWISE_ICON_PNG}
    DEPENDS stepwise-render-icon
    COMMENT "Painting the 256 px application icon"
    VERBATIM)
  add_custom_target(stepwise_icon_png ALL DEPENDS ${STEPWISE_ICON_PNG})
  install(FILES ${STEPWISE_ICON_PNG} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/256x256/apps)

  configure_file(${PROJECT_SOURCE_DIR}/resources/${STEPWISE_APP_ID}.metainfo.xml.in
                 ${PROJECT_BINARY_DIR}/installer/${STEPWISE_APP_ID}.metainfo.xml @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/installer/${STEPWISE_APP_ID}.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/metainfo)
endif()

# --- the Debian package ------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME stepwise)
set(CPACK_PACKAGE_VENDOR "Stepwise")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Stepwise walks through the whole machine learning workflow as a wizard: problem, data, "
    "prep, features, training, evaluation and export. It reads CSV, Excel, JSON and SQLite, "
    "fits its prep and feature steps on the training rows only, trains and compares ten "
    "models with cross-validation and search, and evaluates them against the goal that was "
    "set. The stepwise-cli command trains, predicts and serves models without the GUI.")
set(CPACK_PACKAGE_CONTACT "${STEPWISE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${STEPWISE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${STEPWISE_HOMEPAGE}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The library dependencies come from the binaries (dpkg-shlibdeps, in dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(STEPWISE_BUILD_GUI)
  # Qt loads its platform plugins (xcb, wayland, offscreen) with dlopen, which
  # dpkg-shlibdeps cannot see; without them the GUI does not start.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
endif()
include(CPack)
